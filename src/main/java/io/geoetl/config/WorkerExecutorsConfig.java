package io.geoetl.config;

import java.util.concurrent.ExecutorService;
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
 * A full pool runs the task on the consumer thread, which slows polling instead of dropping work.
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

    @Bean(destroyMethod = "shutdown")
    ExecutorService lightTaskExecutor(EngineProperties engine) {
        return pool("light-task-", engine.lightThreads());
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService heavyTaskExecutor(EngineProperties engine) {
        return pool("heavy-task-", engine.heavyThreads());
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService dispatchSendExecutor() {
        return pool("dispatch-send-", 8);
    }

    private static ExecutorService pool(String prefix, int threads) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(threads * 2),
                new CustomizableThreadFactory(prefix), new ThreadPoolExecutor.CallerRunsPolicy());
    }
}
