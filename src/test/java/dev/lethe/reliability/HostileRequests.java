package dev.lethe.reliability;

import dev.lethe.json.Json;
import dev.lethe.testing.Gzip;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A seeded generator of malformed requests to every endpoint. Request {@code n} depends only
 * on the seed and {@code n}, so a failure names a request that can be replayed. Every request
 * it makes is wrong in at least one way that must make Lethe refuse it whole.
 */
final class HostileRequests {

    /** One request and what it tried, for failure messages. */
    record Hostile(String fault, HttpRequest request) {
    }

    /** What the generator attacks with: a project's credentials and a real finished retrieval. */
    record Target(Http http, String projectToken, String apiSecret, String authorization, String otherProjectToken,
                  String finishedDeletion, String archiveFile, String archiveSignature, long archiveExpires) {
    }

    static final String[] TRAVERSALS = {
        "..%2F..%2Fetc%2Fpasswd", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "%2E%2E%2F%2E%2E%2Flethe.db", "....%2F%2F....%2F%2Fetc%2Fpasswd", "..%5C..%5Cwindows%5Cwin.ini",
        "%252e%252e%252fetc%252fpasswd", "%2Fetc%2Fpasswd", "..%00.zip", "%2e%2e", "..;%2Fetc%2Fpasswd",
        "archives%2F1%2F..%2F..%2Flethe.db", "%C0%AE%C0%AE%2Fetc%2Fpasswd",
    };

    static final String[] NASTY_IDS = {
        "' OR '1'='1", "'; DROP TABLE events; --", "\" OR 1=1 --", "1; DELETE FROM tasks", "%' OR 'a' LIKE '%",
        "\\'; SELECT pg_sleep(5); --", "😀🔥💀", "👨‍👩‍👧‍👦", "Ω≈ç√∫", "NULL", "\u0000", "\u202Egnp.exe", "a\tb\nc",
        "$(rm -rf /)", "${jndi:ldap://x/a}", "<script>alert(1)</script>",
    };

    private static final List<String> GDPR_COLLECTIONS = List.of(Http.DELETIONS, Http.RETRIEVALS);
    private static final String[] LEGACY_PATHS = {"/track", "/engage", "/track/", "/engage/"};
    private static final String[] WRONG_METHODS = {"PUT", "PATCH", "DELETE", "TRACE_", "PROPFIND"};

    private final Target target;
    private final byte[] oversize;
    private final List<Function<Random, Hostile>> makers = new ArrayList<>();

    HostileRequests(Target target, long maxBodyBytes) {
        this.target = target;
        this.oversize = new byte[(int) maxBodyBytes + 512 * 1024];
        java.util.Arrays.fill(oversize, (byte) 'a');
        oversize[0] = '[';
        makers.add(this::brokenJsonIngest);
        makers.add(this::wrongTypesTrack);
        makers.add(this::wrongTypesImport);
        makers.add(this::badEngage);
        makers.add(this::tooManyRecords);
        makers.add(this::invalidUtf8Ingest);
        makers.add(this::badBase64);
        makers.add(this::badGzip);
        makers.add(this::nastyIdsUnknownToken);
        makers.add(this::badImportAuth);
        makers.add(this::wrongContentType);
        makers.add(this::badGdprBody);
        makers.add(this::badGdprAuth);
        makers.add(this::badTrackingId);
        makers.add(this::badListQuery);
        makers.add(this::badDownload);
        makers.add(this::wrongMethod);
        makers.add(this::cancelFinished);
    }

    /** Request {@code n} of the run seeded {@code seed}; a handful of them carry bodies over the size limit. */
    Hostile make(long seed, int n) {
        Random r = new Random(seed * 1_000_003L + n);
        // why: one body over the limit in 1,250 requests, so the default 5,000 send each of the four kinds once
        if (n % 1250 == 234) {
            return oversized(n / 1250);
        }
        return makers.get(r.nextInt(makers.size())).apply(r);
    }

    // ---- ingestion ----

    private Hostile brokenJsonIngest(Random r) {
        String valid = Json.write(trackEvent(target.projectToken(), "user-" + r.nextInt(100)));
        String broken = switch (r.nextInt(6)) {
            case 0 -> valid.substring(0, 1 + r.nextInt(valid.length() - 2));
            case 1 -> valid.replace(":", "");
            case 2 -> "{\"event\": \"x\", \"properties\": {\"token\": \"" + target.projectToken() + "\",}";
            case 3 -> "[" + valid + ",]";
            case 4 -> valid + "}}}";
            default -> "{" .repeat(2000);
        };
        String path = r.nextBoolean() ? "/track" : "/engage";
        return r.nextBoolean()
                ? post("broken JSON body " + path, path + verbose(r), "application/json", bytes(broken))
                : post("broken JSON in data= " + path, path + verbose(r), "application/x-www-form-urlencoded",
                        bytes("data=" + URLEncoder.encode(broken, StandardCharsets.UTF_8)));
    }

    private Hostile wrongTypesTrack(Random r) {
        Map<String, Object> props = new java.util.LinkedHashMap<>(Map.of("token", target.projectToken(), "distinct_id", "u1",
                "time", 1_790_000_000L));
        Object event = "Signup";
        Object payload;
        switch (r.nextInt(9)) {
            case 0 -> event = 42;
            case 1 -> event = List.of("a");
            case 2 -> props.put("time", "yesterday");
            case 3 -> props.put("distinct_id", Map.of("id", 1));
            case 4 -> props.put("distinct_id", "x".repeat(256));
            case 5 -> props.put("time", List.of(1));
            default -> {
            }
        }
        Map<String, Object> e = new java.util.LinkedHashMap<>();
        e.put("event", event);
        e.put("properties", props);
        payload = switch (r.nextInt(9)) {
            case 6 -> "just a string";
            case 7 -> Map.of("event", "Signup", "properties", List.of(1, 2, 3));
            case 8 -> 12345;
            default -> e;
        };
        if (payload == e && event.equals("Signup") && props.get("time") instanceof Long && props.get("distinct_id").equals("u1")) {
            props.put("time", true);
        }
        return post("wrong types on /track", "/track" + verbose(r), "application/json", bytes(Json.write(payload)));
    }

    private Hostile wrongTypesImport(Random r) {
        List<Object> batch = new ArrayList<>();
        // why: a batch of bad records only has nothing to store, so it is refused whole; a batch that mixes
        // good and bad records stores the good ones by design (ImportContract), so it is not hostile input.
        for (int i = 0; i < 1 + r.nextInt(5); i++) {
            batch.add(Map.of("event", "Bad", "properties", badImportProperties(r)));
        }
        String strict = r.nextBoolean() ? "?strict=1" : "";
        return new Hostile("invalid record in /import batch", HttpRequest.newBuilder(target.http().uri("/import" + strict))
                .header("Content-Type", "application/json").header("Authorization", Http.basic(target.apiSecret(), ""))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(Json.write(batch)))).build());
    }

    private static Map<String, Object> badImportProperties(Random r) {
        Map<String, Object> props = new java.util.LinkedHashMap<>(Map.of("distinct_id", "u2", "time", 1_790_000_000L,
                "$insert_id", "abc-" + r.nextInt(1000)));
        switch (r.nextInt(5)) {
            case 0 -> props.remove("time");
            case 1 -> props.put("time", "2026-01-01");
            case 2 -> props.put("distinct_id", List.of("a", "b"));
            case 3 -> props.remove("distinct_id");
            default -> props.put("time", Map.of());
        }
        return props;
    }

    private Hostile badEngage(Random r) {
        Map<String, Object> u = new java.util.LinkedHashMap<>();
        u.put("$token", target.projectToken());
        u.put("$distinct_id", "profile-" + r.nextInt(50));
        switch (r.nextInt(7)) {
            case 0 -> {
                u.put("$set", Map.of("a", 1));
                u.put("$unset", List.of("b"));
            }
            case 1 -> u.put("$set", "not an object");
            case 2 -> u.put("$frobnicate", Map.of("a", 1));
            case 3 -> u.put("$unset", "b");
            case 4 -> {
                u.remove("$distinct_id");
                u.put("$set", Map.of("a", 1));
            }
            case 5 -> {
                u.put("$token", "no-such-project-token");
                u.put("$set", Map.of("a", 1));
            }
            default -> u.put("$union", Map.of("list", "not an array"));
        }
        // why: only bad updates; a batch that mixes in a good one applies it by design (EngageContract).
        String json = Json.write(r.nextBoolean() ? List.of(u, u) : u);
        return r.nextBoolean()
                ? get("bad /engage update in data=", "/engage?data=" + base64Url(json) + verbose(r).replace('?', '&'))
                : post("bad /engage update", "/engage" + verbose(r), "application/json", bytes(json));
    }

    private Hostile tooManyRecords(Random r) {
        int n = r.nextBoolean() ? 2001 : 2001 + r.nextInt(3000);
        boolean imports = r.nextBoolean();
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(imports
                    ? "{\"event\":\"E\",\"properties\":{\"distinct_id\":\"bulk\",\"time\":1790000000,\"$insert_id\":\"b" + i + "\"}}"
                    : Json.write(trackEvent(target.projectToken(), "bulk")));
        }
        sb.append(']');
        if (imports) {
            return new Hostile(n + " records to /import", HttpRequest.newBuilder(target.http().uri("/import"))
                    .header("Content-Type", "application/json").header("Authorization", Http.basic(target.apiSecret(), ""))
                    .POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build());
        }
        return post(n + " records to /track", "/track", "application/json", bytes(sb.toString()));
    }

    private Hostile invalidUtf8Ingest(Random r) {
        byte[][] bad = {{(byte) 0xff}, {(byte) 0xc3, (byte) 0x28}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}};
        byte[] b = bad[r.nextInt(bad.length)];
        String[] parts = switch (r.nextInt(3)) {
            case 0 -> new String[] {"{\"event\":\"Signup\",\"properties\":{\"token\":\"" + target.projectToken()
                    + "\",\"distinct_id\":\"u", "\",\"time\":1790000000}}"};
            case 1 -> new String[] {"{\"event\":\"Sign", "up\",\"properties\":{\"token\":\"" + target.projectToken()
                    + "\",\"distinct_id\":\"u\",\"time\":1790000000}}"};
            default -> new String[] {"{\"$token\":\"" + target.projectToken() + "\",\"$distinct_id\":\"p\",\"$set\":{\"name\":\"",
                    "\"}}"};
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(parts[0]));
        out.writeBytes(b);
        out.writeBytes(bytes(parts[1]));
        String path = parts[0].startsWith("{\"$token") ? "/engage" : "/track";
        if (r.nextBoolean()) {
            return post("invalid UTF-8 in JSON body " + path, path + verbose(r), "application/json", out.toByteArray());
        }
        return post("invalid UTF-8 in base64 data= " + path, path + verbose(r), "application/x-www-form-urlencoded",
                bytes("data=" + Base64.getEncoder().encodeToString(out.toByteArray())));
    }

    private Hostile badBase64(Random r) {
        String good = Base64.getEncoder().encodeToString(bytes(Json.write(trackEvent(target.projectToken(), "b64"))));
        String data = switch (r.nextInt(6)) {
            case 0 -> "!!!not-base64!!!";
            case 1 -> good.substring(0, good.length() / 2 + 1) + "*";
            case 2 -> Base64.getEncoder().encodeToString(bytes("<xml>not json</xml>"));
            case 3 -> good.replace('e', '%');
            case 4 -> "====";
            default -> Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        };
        String path = LEGACY_PATHS[r.nextInt(LEGACY_PATHS.length)];
        if (r.nextInt(3) == 0) {
            return new Hostile("bad base64 data= on legacy /import", HttpRequest.newBuilder(target.http().uri("/import"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", Http.basic(target.apiSecret(), ""))
                    .POST(HttpRequest.BodyPublishers.ofString("data=" + data)).build());
        }
        return r.nextBoolean()
                ? get("bad base64 data= in query " + path, path + "?data=" + URLEncoder.encode(data, StandardCharsets.UTF_8))
                : post("bad base64 data= in form " + path, path, "application/x-www-form-urlencoded", bytes("data=" + data));
    }

    private Hostile badGzip(Random r) {
        byte[] body;
        switch (r.nextInt(3)) {
            case 0 -> {
                body = new byte[10 + r.nextInt(500)];
                r.nextBytes(body);
            }
            case 1 -> {
                byte[] gz = Gzip.bytes(bytes(Json.write(List.of(trackEvent(target.projectToken(), "gz")))));
                body = java.util.Arrays.copyOf(gz, gz.length / 2);
            }
            default -> {
                byte[] gz = Gzip.bytes(bytes(Json.write(List.of(trackEvent(target.projectToken(), "gz")))));
                gz[gz.length - 3] ^= 0x5a;
                body = gz;
            }
        }
        String path = r.nextBoolean() ? "/track" : "/import";
        HttpRequest.Builder b = HttpRequest.newBuilder(target.http().uri(path)).header("Content-Type", "application/json")
                .header("Content-Encoding", r.nextInt(4) == 0 ? "br" : "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (path.equals("/import")) {
            b.header("Authorization", Http.basic(target.apiSecret(), ""));
        }
        return new Hostile("bad gzip to " + path, b.build());
    }

    private Hostile nastyIdsUnknownToken(Random r) {
        String id = NASTY_IDS[r.nextInt(NASTY_IDS.length)];
        String token = r.nextBoolean() ? "no-such-" + id.hashCode() : id;
        Map<String, Object> props = new java.util.LinkedHashMap<>();
        props.put("token", token);
        props.put("distinct_id", id);
        props.put("time", 1_790_000_000L);
        props.put("$device_id", id);
        props.put("$user_id", "u-" + id);
        String json = Json.write(Map.of("event", id, "properties", props));
        return r.nextBoolean()
                ? post("SQL/emoji distinct_id with an unknown token on /track", "/track", "application/json", bytes(json))
                : get("SQL/emoji $distinct_id with an unknown token on /engage", "/engage?data="
                        + base64Url(Json.write(Map.of("$token", token, "$distinct_id", id, "$set", Map.of(id, id)))));
    }

    private Hostile badImportAuth(Random r) {
        String header = switch (r.nextInt(9)) {
            case 0 -> null;
            case 1 -> "Basic !!!";
            case 2 -> "Basic " + Base64.getEncoder().encodeToString(bytes(":"));
            case 3 -> "Bearer " + target.apiSecret();
            case 4 -> Http.basic("wrong-secret-" + r.nextInt(), "");
            case 5 -> "Basic";
            case 6 -> Http.basic(NASTY_IDS[r.nextInt(NASTY_IDS.length)], "x");
            case 7 -> Http.basic("sa-nobody", "secret");
            default -> "Digest username=\"x\"";
        };
        String query = switch (r.nextInt(4)) {
            case 0 -> "?project_id=abc";
            case 1 -> "?project_id=999999";
            case 2 -> "?api_key=" + URLEncoder.encode(NASTY_IDS[r.nextInt(NASTY_IDS.length)], StandardCharsets.UTF_8);
            default -> "";
        };
        if (header != null && header.startsWith("Basic " + Base64.getEncoder().encodeToString(bytes("sa-nobody")))) {
            query = "?project_id=1";
        }
        String body = Json.write(List.of(Map.of("event", "E", "properties", Map.of("distinct_id", "auth-probe",
                "time", 1_790_000_000L, "$insert_id", "auth-probe"))));
        HttpRequest.Builder b = HttpRequest.newBuilder(target.http().uri("/import" + query))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (header != null) {
            b.header("Authorization", header);
        }
        return new Hostile("missing or garbled /import credentials: " + header + " " + query, b.build());
    }

    private Hostile wrongContentType(Random r) {
        String type = switch (r.nextInt(5)) {
            case 0 -> "text/xml";
            case 1 -> "multipart/form-data; boundary=xyz";
            case 2 -> "application/octet-stream";
            case 3 -> "image/png";
            default -> "application/x-www-form-urlencoded; charset=utf-16";
        };
        String body = switch (r.nextInt(3)) {
            case 0 -> "<event><name>x</name></event>";
            case 1 -> "--xyz\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\nnot json\r\n--xyz--";
            default -> "event=Signup&distinct_id=u1&token=" + target.projectToken();
        };
        int where = r.nextInt(4);
        if (where == 3) {
            return new Hostile("wrong content type on a GDPR create", HttpRequest.newBuilder(target.http().uri(
                    GDPR_COLLECTIONS.get(r.nextInt(2)) + "?token=" + target.projectToken())).header("Content-Type", type)
                    .header("Authorization", target.authorization()).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }
        String path = where == 0 ? "/track" : where == 1 ? "/engage" : "/import";
        HttpRequest.Builder b = HttpRequest.newBuilder(target.http().uri(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (where == 2) {
            b.header("Authorization", Http.basic(target.apiSecret(), ""));
        }
        return new Hostile("wrong content type on " + path, b.build());
    }

    // ---- GDPR API ----

    private Hostile badGdprBody(Random r) {
        String collection = GDPR_COLLECTIONS.get(r.nextInt(2));
        byte[] body = switch (r.nextInt(16)) {
            case 0 -> bytes("{\"distinct_ids\": [\"a\", ");
            case 1 -> bytes("[\"a\", \"b\"]");
            case 2 -> bytes("{}");
            case 3 -> bytes("{\"distinct_ids\": []}");
            case 4 -> bytes("{\"distinct_ids\": \"a\"}");
            case 5 -> bytes("{\"distinct_ids\": [1, 2]}");
            case 6 -> bytes("{\"distinct_ids\": [\"\"]}");
            case 7 -> bytes(Json.write(Map.of("distinct_ids", List.of("x".repeat(256)))));
            case 8 -> bytes(Json.write(Map.of("distinct_ids", ids(2001 + r.nextInt(500)))));
            case 9 -> bytes(Json.write(Map.of("distinct_ids", List.of(NASTY_IDS[r.nextInt(NASTY_IDS.length)]),
                    "compliance_type", "HIPAA")));
            case 10 -> bytes(Json.write(Map.of("distinct_ids", List.of("a"), "compliance_type", "CCPA",
                    "disclosure_type", "Everything")));
            case 11 -> bytes(Json.write(Map.of("distinct_ids", List.of("a"), "suppress", "yes")));
            case 12 -> concat(bytes("{\"distinct_ids\": [\"invalid-"), new byte[] {(byte) 0xff, (byte) 0xfe}, bytes("\"]}"));
            case 13 -> bytes("null");
            case 14 -> bytes(Json.write(Map.of("distinct_ids", List.of(List.of("nested")))));
            default -> bytes("{\"distinct_ids\": [\"a\"], \"compliance_type\": 7}");
        };
        return new Hostile("invalid GDPR create body", HttpRequest.newBuilder(target.http().uri(collection + "?token="
                + target.projectToken())).header("Content-Type", "application/json").header("Authorization", target.authorization())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private Hostile badGdprAuth(Random r) {
        String header = switch (r.nextInt(8)) {
            case 0 -> null;
            case 1 -> "Bearer";
            case 2 -> "Bearer lgt_" + "0".repeat(40);
            case 3 -> "Basic ###";
            case 4 -> Http.basic("nocolon", "").replace(Base64.getEncoder().encodeToString(bytes("nocolon:")),
                    Base64.getEncoder().encodeToString(bytes("nocolon")));
            case 5 -> "Token " + target.authorization();
            case 6 -> target.authorization() + "x";
            default -> target.authorization();
        };
        String token = switch (r.nextInt(5)) {
            case 0 -> "";
            case 1 -> "&token=" + URLEncoder.encode(NASTY_IDS[r.nextInt(NASTY_IDS.length)], StandardCharsets.UTF_8);
            case 2 -> "&token=" + target.otherProjectToken();
            case 3 -> "&token=";
            default -> header != null && header.equals(target.authorization()) ? "" : "&token=" + target.projectToken();
        };
        String collection = GDPR_COLLECTIONS.get(r.nextInt(2));
        String[] paths = {collection, collection + "/" + target.finishedDeletion(), collection + "/"};
        String path = paths[r.nextInt(paths.length)] + "?verbose=1" + token;
        String method = r.nextInt(3) == 0 ? "DELETE" : r.nextBoolean() ? "POST" : "GET";
        if (method.equals("POST")) {
            path = collection + "?verbose=1" + token;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(target.http().uri(path)).method(method,
                method.equals("POST") ? HttpRequest.BodyPublishers.ofString(Json.write(Map.of("distinct_ids", List.of("auth-probe"))))
                        : HttpRequest.BodyPublishers.noBody());
        if (header != null) {
            b.header("Authorization", header);
        }
        return new Hostile("missing or garbled GDPR credentials " + method + " " + path + " with " + header, b.build());
    }

    private Hostile badTrackingId(Random r) {
        String id = switch (r.nextInt(4)) {
            case 0, 1 -> TRAVERSALS[r.nextInt(TRAVERSALS.length)];
            case 2 -> URLEncoder.encode(NASTY_IDS[r.nextInt(NASTY_IDS.length)], StandardCharsets.UTF_8).replace("+", "%20");
            default -> r.nextBoolean() ? "x".repeat(300) : target.finishedDeletion().toUpperCase();
        };
        String method = r.nextBoolean() ? "GET" : "DELETE";
        String path = GDPR_COLLECTIONS.get(r.nextInt(2)) + "/" + id + "?token=" + target.projectToken();
        return new Hostile("hostile tracking_id " + method + " " + path, HttpRequest.newBuilder(target.http().uri(path))
                .header("Authorization", target.authorization()).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private Hostile badListQuery(Random r) {
        String q = switch (r.nextInt(7)) {
            case 0 -> "&status=BOGUS";
            case 1 -> "&limit=-1";
            case 2 -> "&limit=abc";
            case 3 -> "&limit=99999999999999";
            case 4 -> "&cursor=%25%25%25";
            case 5 -> "&cursor=" + Base64.getUrlEncoder().encodeToString(bytes("t1:' OR 1=1"));
            default -> "&status=" + URLEncoder.encode(NASTY_IDS[r.nextInt(NASTY_IDS.length)], StandardCharsets.UTF_8);
        };
        String path = GDPR_COLLECTIONS.get(r.nextInt(2)) + "?token=" + target.projectToken() + q;
        return new Hostile("bad list query " + path, HttpRequest.newBuilder(target.http().uri(path))
                .header("Authorization", target.authorization()).GET().build());
    }

    private Hostile badDownload(Random r) {
        String file = target.archiveFile();
        String path = switch (r.nextInt(7)) {
            case 0 -> "/downloads/" + TRAVERSALS[r.nextInt(TRAVERSALS.length)];
            case 1 -> "/downloads/" + file + "?expires=" + target.archiveExpires() + "&signature=" + tamper(target.archiveSignature(), r);
            case 2 -> "/downloads/" + file + "?expires=" + (target.archiveExpires() + 1) + "&signature=" + target.archiveSignature();
            case 3 -> "/downloads/" + file + "?expires=abc&signature=" + target.archiveSignature();
            case 4 -> "/downloads/" + file;
            case 5 -> "/downloads/" + TRAVERSALS[r.nextInt(TRAVERSALS.length)] + "?expires=" + target.archiveExpires()
                    + "&signature=" + target.archiveSignature();
            default -> "/downloads/" + file.replace(".zip", ".db") + "?expires=1&signature=%27%20OR%201%3D1";
        };
        return get("hostile download " + path, path);
    }

    private Hostile wrongMethod(Random r) {
        String[] paths = {"/track", "/engage", "/import", Http.DELETIONS, Http.RETRIEVALS,
            Http.DELETIONS + "/" + target.finishedDeletion(), "/api/app/openapi.yaml", "/downloads/" + target.archiveFile(), "/healthz"};
        String path = paths[r.nextInt(paths.length)] + "?token=" + target.projectToken();
        String method = WRONG_METHODS[r.nextInt(WRONG_METHODS.length)];
        if (path.startsWith(Http.DELETIONS + "/") && method.equals("DELETE")) {
            method = "PUT";
        }
        return new Hostile("wrong method " + method + " " + path, HttpRequest.newBuilder(target.http().uri(path))
                .header("Authorization", target.authorization())
                .method(method, HttpRequest.BodyPublishers.ofString("{\"distinct_ids\":[\"x\"]}")).build());
    }

    private Hostile cancelFinished(Random r) {
        String path = Http.DELETIONS + "/" + target.finishedDeletion() + "?token=" + target.projectToken();
        return new Hostile("cancel of a finished deletion", HttpRequest.newBuilder(target.http().uri(path))
                .header("Authorization", target.authorization()).DELETE().build());
    }

    private Hostile oversized(int which) {
        return switch (which % 4) {
            case 0 -> post("body over the limit to /track", "/track", "application/json", oversize);
            case 1 -> new Hostile("body over the limit to /import", HttpRequest.newBuilder(target.http().uri("/import"))
                    .header("Content-Type", "application/json").header("Authorization", Http.basic(target.apiSecret(), ""))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(oversize)).build());
            case 2 -> post("body over the limit to /engage", "/engage", "application/x-www-form-urlencoded", oversize);
            default -> new Hostile("body over the limit to a GDPR create", HttpRequest.newBuilder(target.http().uri(
                    Http.DELETIONS + "?token=" + target.projectToken())).header("Content-Type", "application/json")
                    .header("Authorization", target.authorization()).POST(HttpRequest.BodyPublishers.ofByteArray(oversize)).build());
        };
    }

    // ---- helpers ----

    private Hostile post(String fault, String path, String contentType, byte[] body) {
        return new Hostile(fault, HttpRequest.newBuilder(target.http().uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private Hostile get(String fault, String path) {
        return new Hostile(fault, HttpRequest.newBuilder(target.http().uri(path)).GET().build());
    }

    private static String verbose(Random r) {
        return r.nextBoolean() ? "?verbose=1" : "";
    }

    private static Map<String, Object> trackEvent(String token, String distinctId) {
        return Map.of("event", "Signup", "properties", Map.of("token", token, "distinct_id", distinctId, "time", 1_790_000_000L));
    }

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add("id-" + i);
        }
        return ids;
    }

    private static String tamper(String signature, Random r) {
        char[] c = signature.toCharArray();
        int i = r.nextInt(c.length);
        c[i] = c[i] == 'a' ? 'b' : 'a';
        return new String(c);
    }

    private static String base64Url(String json) {
        return URLEncoder.encode(Base64.getEncoder().encodeToString(bytes(json)), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

}
