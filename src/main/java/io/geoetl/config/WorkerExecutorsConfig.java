package io.geoetl.config;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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

    /** Light tasks are short: a small backlog may wait for a thread. */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolExecutor lightTaskExecutor(EngineProperties engine) {
        return pool("light-task-", engine.lightThreads(), engine.lightThreads() * 2);
    }

    /**
     * Heavy tasks never wait in memory (their messages would not be renewed meanwhile): the task
     * route admits at most heavy-threads of them and hands further messages back to the queue. The
     * small backlog only absorbs the moment between a task ending and its thread becoming idle.
     */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolExecutor heavyTaskExecutor(EngineProperties engine) {
        return pool("heavy-task-", engine.heavyThreads(), engine.heavyThreads());
    }

    @Bean(destroyMethod = "shutdown")
    ThreadPoolExecutor dispatchSendExecutor() {
        return pool("dispatch-send-", 8, 64);
    }

    /** A full pool runs the work on the caller's thread: a last resort that slows polling, never drops. */
    private static ThreadPoolExecutor pool(String prefix, int threads, int backlog) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(backlog),
                new CustomizableThreadFactory(prefix), new ThreadPoolExecutor.CallerRunsPolicy());
    }
}
