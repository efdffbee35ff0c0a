package io.ferry.connector.kingdee;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The LoginBySign signature (protocols.md §1.2(c)): lowercase hex SHA-256 of the account id, user name, app id,
 * app secret and timestamp, sorted ordinally and concatenated without a separator.
 */
public final class KingdeeSigner {

    private KingdeeSigner() {
    }

    public static String loginSign(String acctId, String userName, String appId, String appSecret, String timestamp) {
        String[] parts = { acctId, userName, appId, appSecret, timestamp };
        // String.compareTo orders by UTF-16 code unit, as the server's ordinal sort does
        Arrays.sort(parts);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
