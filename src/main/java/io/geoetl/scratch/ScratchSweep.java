package io.geoetl.scratch;

import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * At start, makes this process's scratch folder and removes those of geoetl processes that died on
 * this machine (killed, out of memory: their task folders and downloads would otherwise stay in the
 * temp folder for good). Folders of live processes sharing the temp folder are left alone.
 */
@Component
class ScratchSweep implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ScratchSweep.class);

    @Override
    public void run(ApplicationArguments args) {
        ScratchSpace space = ScratchSpace.current();
        List<Path> removed = space.removeLeftovers();
        log.info("event=scratch_ready folder={} leftovers_removed={}{}", space.root(), removed.size(),
                removed.isEmpty() ? "" : " removed=" + removed);
    }
}
