package io.geoetl.access;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a refused bind address into Spring Boot's short "APPLICATION FAILED TO START" report (what went
 * wrong, what to set) instead of a stack trace. Registered in META-INF/spring.factories.
 */
public class UnprotectedBindFailureAnalyzer extends AbstractFailureAnalyzer<UnprotectedBindException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnprotectedBindException cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}
