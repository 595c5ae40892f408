package io.geoetl.config;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.geoetl.orchestration.TaskAdmission;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Separate pools for light and heavy tasks so GDAL work bounded by the cores never starves hello or
 * metadata tasks. The task route hands each message to one of them ({@code executorService=#...}).
 */
@Configuration
class WorkerExecutorsConfig {

    /**
     * Spring's own executor (async HTTP handling of platform-http). Declared here because the pools
     * below make Spring Boot's auto-configured one back off.
     */
    @Bean
    ThreadPoolTaskExecutor applicationTaskExecutor(ThreadPoolTaskExecutorBuilder builder) {
        return builder.threadNamePrefix("http-async-").build();
    }

    /**
     * The task route admits at most threads + one receive batch of light tasks (TaskAdmission), each
     * leased while it waits here. The backlog holds all of them even when every thread is still busy
     * with a task whose place was already released, so a task is never run on the consumer's thread.
     */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolExecutor lightTaskExecutor(EngineProperties engine, QueueProperties queues) {
        return pool("light-task-", engine.lightThreads(), TaskAdmission.lightCapacity(engine, queues));
    }

    /**
     * Heavy tasks never wait in memory: the task route admits at most heavy-threads of them and hands
     * further messages back to the queue. The small backlog only absorbs the moment between a task
     * ending and its thread becoming idle.
     */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolExecutor heavyTaskExecutor(EngineProperties engine) {
        return pool("heavy-task-", engine.heavyThreads(), engine.heavyThreads());
    }

    @Bean(destroyMethod = "shutdown")
    ThreadPoolExecutor dispatchSendExecutor() {
        return pool("dispatch-send-", 8, 64);
    }

    /**
     * A full pool would run the work on the caller's thread, which slows polling but never drops; the
     * task pools are sized so that admission never lets it come to that.
     */
    private static ThreadPoolExecutor pool(String prefix, int threads, int backlog) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(backlog),
                new CustomizableThreadFactory(prefix), new ThreadPoolExecutor.CallerRunsPolicy());
    }
}
