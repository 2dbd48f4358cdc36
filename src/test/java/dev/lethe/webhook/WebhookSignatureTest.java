package dev.lethe.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignatureTest {

    /** The example of the Standard Webhooks specification's reference libraries. */
    @Test
    void signs_the_specification_s_example_as_its_libraries_do() {
        String signature = WebhookSignature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void a_new_secret_is_whsec_and_32_random_bytes() {
        String a = WebhookSignature.newSecret();
        String b = WebhookSignature.newSecret();

        assertThat(a).startsWith("whsec_").isNotEqualTo(b);
        assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(32);
    }

    @Test
    void the_signature_follows_id_timestamp_and_body() {
        String secret = WebhookSignature.newSecret();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String base = WebhookSignature.sign(secret, "msg_1", 1, body);

        assertThat(WebhookSignature.sign(secret, "msg_2", 1, body)).isNotEqualTo(base);
        assertThat(WebhookSignature.sign(secret, "msg_1", 2, body)).isNotEqualTo(base);
        assertThat(WebhookSignature.sign(secret, "msg_1", 1, "[]".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(base);
        assertThatThrownBy(() -> WebhookSignature.sign("plain", "msg_1", 1, body)).isInstanceOf(IllegalArgumentException.class);
    }
}
