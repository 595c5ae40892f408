package io.geoetl.config;

import java.util.List;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Azure SDK clients built from one connection string. The Camel queue component has no
 * connection-string option, so routes reference these beans ({@code serviceClient=#queueServiceClient}).
 * Queues and containers are created at start-up: a consumer on a missing queue silently polls nothing.
 */
@Configuration
class AzureStorageConfig {

    private static final Logger log = LoggerFactory.getLogger(AzureStorageConfig.class);

    @Bean
    QueueServiceClient queueServiceClient(StorageProperties storage, QueueProperties queues) {
        QueueServiceClient client = new QueueServiceClientBuilder()
                .connectionString(storage.connectionString()).buildClient();
        for (String name : List.of(queues.jobQueue(), queues.taskQueue(), queues.poisonQueue(queues.jobQueue()),
                queues.poisonQueue(queues.taskQueue()))) {
            client.getQueueClient(name).createIfNotExists();
        }
        log.info("event=queues_ready jobs={} tasks={}", queues.jobQueue(), queues.taskQueue());
        return client;
    }

    @Bean
    BlobServiceClient blobServiceClient(StorageProperties storage) {
        BlobServiceClient client = new BlobServiceClientBuilder()
                .connectionString(storage.connectionString()).buildClient();
        for (String name : List.of(storage.bronzeContainer(), storage.silverContainer())) {
            client.getBlobContainerClient(name).createIfNotExists();
        }
        return client;
    }
}
