package io.cxml.runtime.executor;

import ai.djl.Device;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;

/**
 * Maps a Spark task's assigned resources to the DJL device to train on: the first address of the task's {@code gpu}
 * resource (granted when {@code spark.task.resource.gpu.amount} is set and executors have GPUs) becomes
 * {@code Device.gpu(address)}; without one, the CPU. Pure, so it is tested without a GPU or a running task.
 */
public final class DeviceSelector {
    /** Spark resource name of GPUs. */
    public static final String GPU_RESOURCE = "gpu";

    private DeviceSelector() {}

    /**
     * @param preference the configured preference
     * @param resources the task's resources ({@code TaskContext.get().resourcesJMap()}), possibly empty
     * @return the device
     */
    public static Device select(DevicePreference preference, Map<String, ResourceInformation> resources) {
        if (preference == DevicePreference.CPU) {
            return Device.cpu();
        }
        ResourceInformation gpu = resources == null ? null : resources.get(GPU_RESOURCE);
        if (gpu != null && gpu.addresses().length > 0) {
            String address = gpu.addresses()[0].trim();
            try {
                return Device.gpu(Integer.parseInt(address));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("Cannot use GPU address '" + address
                        + "' from Spark: it is not a device index. Make the GPU discovery script print indexes"
                        + " such as [\"0\",\"1\"]", e);
            }
        }
        if (preference == DevicePreference.GPU) {
            throw new IllegalStateException("Cannot train on a GPU: the Spark task was assigned no 'gpu' resource."
                    + " Set spark.executor.resource.gpu.amount and spark.task.resource.gpu.amount (and a discovery"
                    + " script), or set the training device to auto or cpu");
        }
        return Device.cpu();
    }
}
