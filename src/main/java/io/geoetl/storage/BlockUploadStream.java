package io.geoetl.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

/**
 * Uploads a block blob as it is written: every full block is staged on a background thread, at most
 * {@code inFlight} at once, and {@link #close()} commits the block list. Memory stays at
 * (inFlight + 1) blocks whatever the blob's size, which the SDK's own BlobOutputStream does not
 * guarantee when the writer is faster than the network (it ran a 512 MB heap out of memory here).
 * A stream that is closed after a failure commits nothing.
 */
public final class BlockUploadStream extends OutputStream {

    private final BlockBlobClient blob;
    private final int blockSize;
    private final Semaphore slots;
    private final ExecutorService uploader;
    private final List<String> blockIds = new ArrayList<>();
    private final List<Future<?>> staged = new ArrayList<>();
    private byte[] block;
    private int filled;
    private final boolean overwrite;
    private boolean failed;
    private String etag;

    BlockUploadStream(BlockBlobClient blob, int blockSize, int inFlight) {
        this(blob, blockSize, inFlight, true);
    }

    /** With {@code overwrite} false, the commit fails (409 BlobAlreadyExists) when the blob exists by then. */
    BlockUploadStream(BlockBlobClient blob, int blockSize, int inFlight, boolean overwrite) {
        this.blob = blob;
        this.overwrite = overwrite;
        this.blockSize = blockSize;
        this.slots = new Semaphore(inFlight);
        this.uploader = Executors.newFixedThreadPool(inFlight, runnable -> {
            Thread thread = new Thread(runnable, "blob-upload");
            thread.setDaemon(true);
            return thread;
        });
        this.block = new byte[blockSize];
    }

    @Override
    public void write(int b) throws IOException {
        block[filled++] = (byte) b;
        if (filled == blockSize) {
            stage();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int copied = Math.min(length, blockSize - filled);
            System.arraycopy(bytes, offset, block, filled, copied);
            filled += copied;
            offset += copied;
            length -= copied;
            if (filled == blockSize) {
                stage();
            }
        }
    }

    private void stage() throws IOException {
        byte[] full = block;
        int size = filled;
        String id = Base64.getEncoder().encodeToString(ByteBuffer.allocate(16).putLong(blockIds.size())
                .put("geoetl\0\0".getBytes(StandardCharsets.US_ASCII)).array());
        blockIds.add(id);
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = true;
            throw new InterruptedIOException("interrupted while uploading " + blob.getBlobName());
        }
        staged.add(uploader.submit(() -> {
            try {
                blob.stageBlock(id, new ByteArrayInputStream(full, 0, size), size);
            } finally {
                slots.release();
            }
        }));
        block = new byte[blockSize];
        filled = 0;
        checkStaged();
    }

    /** Fails the writer early when a staged block failed. */
    private void checkStaged() throws IOException {
        for (Future<?> future : staged) {
            if (future.isDone()) {
                await(future);
            }
        }
        staged.removeIf(Future::isDone);
    }

    private void await(Future<?> future) throws IOException {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = true;
            throw new InterruptedIOException("interrupted while uploading " + blob.getBlobName());
        } catch (ExecutionException e) {
            failed = true;
            throw new IOException("upload of a block of " + blob.getBlobName() + " failed", e.getCause());
        }
    }

    /** The committed blob's ETag; null before {@link #close()} or when nothing was committed. */
    public String etag() {
        return etag;
    }

    /** Marks the upload as failed: {@link #close()} then commits nothing. */
    public void abandon() {
        failed = true;
    }

    @Override
    public void close() throws IOException {
        try {
            if (failed) {
                return;
            }
            if (filled > 0) {
                stage();
            }
            for (Future<?> future : staged) {
                await(future);
            }
            BlobRequestConditions conditions = overwrite ? null : new BlobRequestConditions().setIfNoneMatch("*");
            etag = blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blockIds)
                    .setRequestConditions(conditions), null, Context.NONE).getValue().getETag();
        } finally {
            uploader.shutdownNow();
        }
    }
}
