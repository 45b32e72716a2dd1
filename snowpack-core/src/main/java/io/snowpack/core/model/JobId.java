package io.snowpack.core.model;

import io.snowpack.core.InvalidRequestException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A job's id: 32 lowercase hexadecimal characters (128 random bits). An instance is always well formed.
 *
 * @param value the 32-character hex string
 */
public record JobId(String value) implements Comparable<JobId> {
    /** Length of every job id. */
    public static final int LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    /**
     * @throws InvalidRequestException when {@code value} is not 32 lowercase hex characters
     */
    public JobId {
        if (!isValid(value)) {
            throw new InvalidRequestException("Invalid job id '" + Text.abbreviate(value)
                    + "': expected " + LENGTH + " lowercase hexadecimal characters");
        }
    }

    /** A new random id. */
    public static JobId random() {
        byte[] bytes = new byte[LENGTH / 2];
        RANDOM.nextBytes(bytes);
        return new JobId(HEX.formatHex(bytes));
    }

    /** Same as the constructor. */
    public static JobId parse(String value) {
        return new JobId(value);
    }

    /** {@code true} when {@code value} is 32 lowercase hex characters. */
    public static boolean isValid(String value) {
        if (value == null || value.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(JobId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
