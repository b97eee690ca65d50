package org.mailslot.support.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void nestedObjectsAndArraysGetTheirCommas() {
        String json = new JsonWriter().beginObject()
                .field("depth", 3)
                .field("healthy", false)
                .field("tls", (String) null)
                .name("ids").beginArray().value("a1").value("b2").endArray()
                .name("groups").beginArray()
                .beginObject().field("reason", "NO_ROUTE").endObject()
                .beginObject().endObject()
                .endArray()
                .name("empty").beginArray().endArray()
                .endObject().toString();

        assertThat(json).isEqualTo("{\"depth\":3,\"healthy\":false,\"tls\":null,\"ids\":[\"a1\",\"b2\"],"
                + "\"groups\":[{\"reason\":\"NO_ROUTE\"},{}],\"empty\":[]}");
    }

    @Test
    void stringsAreEscapedSoTheyNeitherEndTheStringNorAScriptElement() {
        assertThat(JsonWriter.quote("a\"b\\c\nd\te\u0001</script>&"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\\u003c/script\\u003e\\u0026\"");
        assertThat(new JsonWriter().value("\u00e9t\u00e9 \u2028").toString()).isEqualTo("\"\u00e9t\u00e9 \\u2028\"");
    }

    @Test
    void misuseIsRefusedRatherThanWrittenAsBrokenJson() {
        assertThatThrownBy(() -> new JsonWriter().beginObject().value(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a name");
        assertThatThrownBy(() -> new JsonWriter().beginArray().name("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().endArray()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().name("x").endObject())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().toString()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still open");
        assertThatThrownBy(() -> new JsonWriter().value(1).value(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already ended");
    }
}
