package io.geoetl.workflow;

/** Which worker pool runs a task: light work is never starved by heavy GDAL work. */
public enum TaskClass {
    LIGHT, HEAVY
}
