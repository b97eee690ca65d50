package org.mailslot.retrieval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailslot.api.retrieval.InboundProcessor;
import org.mailslot.testing.peers.ComponentConfig;

/** The inbound stages the whiteboard requires, as Declarative Services configures it. */
class WhiteboardTest {

    private static Whiteboard activated(Map<String, Object> properties) {
        return new Whiteboard(ComponentConfig.of(RetrievalConfig.class, properties));
    }

    @Test
    void withoutConfigurationTheCryptoStageIsRequired() {
        // As feature:install mailslot leaves it in a Karaf without the distribution's etc/.
        Whiteboard whiteboard = activated(Map.of());
        assertThat(whiteboard.missingStage()).contains("crypto-open");

        whiteboard.addProcessor(message -> message, Map.of(InboundProcessor.NAME, "crypto-open"));
        assertThat(whiteboard.missingStage()).isEmpty();
    }

    @Test
    void noneRequiresNoStageAndAnEmptyValueIsRefused() {
        assertThat(activated(Map.of("inbound.required", "none")).missingStage()).isEmpty();
        assertThatThrownBy(() -> activated(Map.of("inbound.required", " ")))
                .hasMessage("inbound.required is empty: name the required stages, or none to require no stage");
    }
}
