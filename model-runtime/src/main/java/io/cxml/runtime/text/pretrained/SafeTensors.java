package io.cxml.runtime.text.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code .safetensors} file (8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw little-endian data) into float arrays. F32, F16 and BF16 tensors are read;
 * integer tensors (such as BERT's stored {@code position_ids} buffer) are skipped, as no weight is an integer.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    /**
     * One tensor.
     *
     * @param shape its shape
     * @param values its values, row-major
     */
    public record Tensor(long[] shape, float[] values) {}

    /**
     * @param file the safetensors file
     * @return floating-point tensors by name, in file order
     * @throws IOException when the file cannot be read or is not a safetensors file
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        return read(file, true);
    }

    /**
     * Checks the header and that every floating-point tensor's bytes lie in the file, without reading them: a
     * truncated or foreign file fails here, on the driver, instead of in every task that loads it.
     *
     * @param file the safetensors file
     * @throws IOException naming the file and what does not fit
     */
    public static void check(Path file) throws IOException {
        read(file, false);
    }

    private static Map<String, Tensor> read(Path file, boolean withData) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            long size = channel.size();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw new IOException("Cannot read " + file + ": not a safetensors file (header length "
                        + headerLength + " of a " + size + "-byte file)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            JsonNode root = JSON.readTree(header.array());
            long dataStart = 8 + headerLength;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                if ("__metadata__".equals(entry.getKey())) {
                    continue;
                }
                JsonNode info = entry.getValue();
                String dtype = info.path("dtype").asText();
                int width = switch (dtype) {
                    case "F32" -> 4;
                    case "F16", "BF16" -> 2;
                    default -> 0;
                };
                if (width == 0) {
                    continue;
                }
                long[] shape = new long[info.path("shape").size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = info.path("shape").get(i).asLong();
                    count *= shape[i];
                }
                long begin = info.path("data_offsets").path(0).asLong();
                long end = info.path("data_offsets").path(1).asLong();
                if (end - begin != count * width || dataStart + end > size || count > Integer.MAX_VALUE) {
                    throw new IOException("Cannot read tensor '" + entry.getKey() + "' of " + file
                            + ": its byte range [" + begin + ", " + end + ") does not fit its shape or the file");
                }
                if (!withData) {
                    continue;
                }
                ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(channel, data, dataStart + begin);
                data.flip();
                out.put(entry.getKey(), new Tensor(shape, decode(data, dtype, (int) count)));
            }
            return out;
        }
    }

    private static float[] decode(ByteBuffer data, String dtype, int count) {
        float[] values = new float[count];
        if ("F32".equals(dtype)) {
            data.asFloatBuffer().get(values);
        } else if ("BF16".equals(dtype)) {
            for (int i = 0; i < count; i++) {
                values[i] = Float.intBitsToFloat((data.getShort() & 0xffff) << 16);
            }
        } else {
            for (int i = 0; i < count; i++) {
                values[i] = halfToFloat(data.getShort());
            }
        }
        return values;
    }

    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("Cannot read safetensors data: the file ends early at byte " + at);
            }
            at += n;
        }
    }
}
