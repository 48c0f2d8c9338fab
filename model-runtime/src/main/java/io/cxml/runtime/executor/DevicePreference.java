package io.cxml.runtime.executor;

/** Where training runs, chosen by configuration only. */
public enum DevicePreference {
    /** The task's assigned GPU when Spark gave it one, else the CPU. */
    AUTO,
    /** Always the CPU. */
    CPU,
    /** The task's assigned GPU; fail when the task has none. */
    GPU
}
