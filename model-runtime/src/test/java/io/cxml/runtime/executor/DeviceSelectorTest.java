package io.cxml.runtime.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

/** Device selection from a task's Spark resources, without a GPU or a running task. */
class DeviceSelectorTest {
    private static Map<String, ResourceInformation> gpus(String... addresses) {
        return Map.of(DeviceSelector.GPU_RESOURCE, new ResourceInformation(DeviceSelector.GPU_RESOURCE, addresses));
    }

    @Test
    void usesTheTasksAssignedGpuAddress() {
        assertThat(DeviceSelector.select(DevicePreference.AUTO, gpus("3"))).isEqualTo(Device.gpu(3));
        assertThat(DeviceSelector.select(DevicePreference.GPU, gpus("1", "2"))).isEqualTo(Device.gpu(1));
    }

    @Test
    void fallsBackToCpuWithoutGpuResources() {
        assertThat(DeviceSelector.select(DevicePreference.AUTO, Map.of())).isEqualTo(Device.cpu());
        assertThat(DeviceSelector.select(DevicePreference.AUTO, null)).isEqualTo(Device.cpu());
        assertThat(DeviceSelector.select(DevicePreference.AUTO, gpus())).isEqualTo(Device.cpu());
    }

    @Test
    void cpuPreferenceIgnoresGpus() {
        assertThat(DeviceSelector.select(DevicePreference.CPU, gpus("0"))).isEqualTo(Device.cpu());
    }

    @Test
    void gpuPreferenceWithoutGpuFailsWithTheFix() {
        assertThatThrownBy(() -> DeviceSelector.select(DevicePreference.GPU, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot train on a GPU: the Spark task was assigned no 'gpu' resource.")
                .hasMessageContaining("spark.task.resource.gpu.amount");
    }

    @Test
    void rejectsNonIndexAddresses() {
        assertThatThrownBy(() -> DeviceSelector.select(DevicePreference.AUTO, gpus("GPU-1234")))
                .hasMessageStartingWith("Cannot use GPU address 'GPU-1234' from Spark");
    }
}
