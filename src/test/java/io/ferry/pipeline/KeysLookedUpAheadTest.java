package io.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * The dedup query of a page read ahead: its answer is used for that page only, and every key this run marked after
 * the query was handed out comes with it, so that a key delivered on the page before is not delivered again.
 */
class KeysLookedUpAheadTest {

    private final List<Collection<String>> asked = new ArrayList<>();
    private final KeysLookedUpAhead ahead = new KeysLookedUpAhead("id", keys -> {
        asked.add(List.copyOf(keys));
        return keys.contains("old") ? Map.of("old", new SyncedKey("old", null, null)) : Map.of();
    });

    private static List<Map<String, Object>> page(String... ids) {
        List<Map<String, Object>> p = new ArrayList<>();
        for (String id : ids) {
            p.add(Map.of("id", id));
        }
        return p;
    }

    @Test
    void aKeyMarkedAfterTheQueryWasAskedComesWithTheAnswer() {
        ahead.marked(List.of("before"));
        KeysLookedUpAhead.LookUp lookUp = ahead.handOut();
        List<Map<String, Object>> page = page("old", "a", "b");
        lookUp.read(page);
        // the route wrote and marked the page before this one meanwhile: "a" was on it too
        ahead.marked(List.of("a"));

        KeysLookedUpAhead.Answer answer = ahead.take(page);
        assertThat(asked).containsExactly(List.of("old", "a", "b"));
        assertThat(answer.synced()).containsOnlyKeys("old");
        assertThat(answer.markedSince()).containsExactly("a");
        // used once
        assertThat(ahead.take(page)).isNull();
    }

    @Test
    void anotherPageOrAFailedQueryGetsNoAnswer() {
        KeysLookedUpAhead failing = new KeysLookedUpAhead("id", keys -> {
            throw new IllegalStateException("state database away");
        });
        KeysLookedUpAhead.LookUp lookUp = failing.handOut();
        List<Map<String, Object>> page = page("a");
        lookUp.read(page);
        assertThat(failing.take(page)).as("the route asks itself").isNull();

        ahead.handOut().read(page("x"));
        assertThat(ahead.take(page("x"))).as("an equal list is not the page read ahead").isNull();
    }

    @Test
    void marksAreForgottenOnceNoLookUpAskedBeforeThemIsLeft() {
        KeysLookedUpAhead.LookUp first = ahead.handOut();
        List<Map<String, Object>> p1 = page("a");
        first.read(p1);
        ahead.marked(List.of("m1"));
        KeysLookedUpAhead.LookUp second = ahead.handOut();
        List<Map<String, Object>> p2 = page("b");
        second.read(p2);
        ahead.marked(List.of("m2"));

        assertThat(ahead.take(p1).markedSince()).containsExactlyInAnyOrder("m1", "m2");
        // the second was handed out after m1 was marked: its query saw that mark
        assertThat(ahead.take(p2).markedSince()).containsExactly("m2");
        ahead.marked(List.of("m3"));
        KeysLookedUpAhead.LookUp third = ahead.handOut();
        List<Map<String, Object>> p3 = page("c");
        third.read(p3);
        assertThat(ahead.take(p3).markedSince()).isEmpty();
    }
}
