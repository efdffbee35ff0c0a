package io.ferry.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The hashes Ferry keeps instead of passwords and tokens, and new tokens. */
public final class Secrets {

    /** bcrypt's cost: 2^12 rounds, 0.6 s per check measured on a busy 2-core build machine; verified logins are cached (Accounts). */
    static final int BCRYPT_STRENGTH = 12;
    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(BCRYPT_STRENGTH);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN_PREFIX = "ferry_";

    private Secrets() {
    }

    public static String bcrypt(String password) {
        return BCRYPT.encode(password);
    }

    /** False too for a hash that is not bcrypt. */
    public static boolean bcryptMatches(String password, String hash) {
        try {
            return hash != null && BCRYPT.matches(password, hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean looksLikeBcrypt(String hash) {
        return hash != null && hash.matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    }

    /**
     * A token's hash. SHA-256 without salt or stretching is enough for a token, unlike a password: a token is 32
     * random bytes (256 bits), so no dictionary or brute force reaches it from its hash, and a fast hash lets every
     * request be checked without a cache.
     */
    public static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh API token: {@code ferry_} and 32 random bytes in URL-safe Base64. */
    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
