package io.ferry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.ferry.kernel.ConfigurationException;

/** Users and tokens from properties: hashes only, roles, the cache of verified logins, and what is refused. */
class AccountsTest {

    static final String HASH = Secrets.bcrypt("correct horse battery");

    @Test
    void aUserIsVerifiedByBcryptThenFromTheCacheUntilItExpires() {
        AtomicLong now = new AtomicLong();
        Accounts a = Accounts.from(Map.of("ferry.users.alice.password-hash", HASH, "ferry.users.alice.role", "operator"),
                Duration.ofMinutes(5), now::get);
        assertThat(a.cached("alice", "correct horse battery")).as("nothing verified yet").isNull();
        Principal p = a.verify("alice", "correct horse battery");
        assertThat(p).isEqualTo(new Principal("alice", Principal.Kind.USER, Role.OPERATOR));
        assertThat(a.cached("alice", "correct horse battery")).isEqualTo(p);
        assertThat(a.cached("alice", "wrong horse")).as("another password is not the cached one").isNull();
        assertThat(a.verify("alice", "wrong horse")).isNull();
        assertThat(a.cached("alice", "correct horse battery")).as("a wrong guess keeps the cached login").isEqualTo(p);
        now.addAndGet(Duration.ofMinutes(5).toNanos() + 1);
        assertThat(a.cached("alice", "correct horse battery")).as("expired").isNull();
        assertThat(a.verify("bob", "correct horse battery")).as("an unknown user").isNull();
    }

    @Test
    void aTokenIsFoundByItsSha256() {
        String token = Secrets.newToken();
        assertThat(token).startsWith("ferry_").hasSizeGreaterThan(40);
        Accounts a = Accounts.from(Map.of("ferry.api.tokens.ci.hash", Secrets.sha256Hex(token), "ferry.api.tokens.ci.role", "viewer"),
                Duration.ZERO);
        assertThat(a.token(token)).isEqualTo(new Principal("ci", Principal.Kind.TOKEN, Role.VIEWER));
        assertThat(a.token(token + "x")).isNull();
        assertThat(a.token(Secrets.sha256Hex(token))).as("the hash is no token").isNull();
    }

    @Test
    void plainPasswordsBadHashesAndRolesAreRefusedAllAtOnceWithoutRepeatingTheSecret() {
        assertThatThrownBy(() -> Accounts.from(Map.of("ferry.users.bob.password", "hunter2-hunter2", "ferry.users.bob.role", "admin",
                "ferry.users.eve.password-hash", "plain-text", "ferry.users.eve.role", "root",
                "ferry.api.tokens.ci.hash", "abc", "ferry.api.tokens.ci.role", "viewer"), Duration.ZERO))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("ferry.users.bob.password is a plain password").hasMessageContaining("`ferry hash-password`")
            .hasMessageContaining("ferry.users.eve.password-hash is not a bcrypt hash")
            .hasMessageContaining("ferry.users.eve.role: 'root' is not a role; the roles: viewer, operator, admin")
            .hasMessageContaining("ferry.api.tokens.ci.hash is not a SHA-256 hash")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("plain-text"));
        assertThatThrownBy(() -> Accounts.from(Map.of("ferry.users.x.password-hash", HASH), Duration.ZERO))
            .hasMessageContaining("ferry.users.x.role is not set");
    }

    @Test
    void eachRoleCoversTheOnesBelowIt() {
        assertThat(Role.ADMIN.covers(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.covers(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.covers(Role.OPERATOR)).isFalse();
        assertThat(Role.OPERATOR.covers(Role.ADMIN)).isFalse();
    }
}
