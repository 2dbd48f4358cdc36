package dev.lethe.store;

import dev.lethe.crypto.DataKey;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seals and opens personal content with its person's data key ({@link Keystore}) for one unit of work,
 * remembering the keys it looked up so a page of rows costs one keystore read. What is sealed is bound to
 * its project, person key and kind (the associated data), so a sealed value moved to another row or
 * person does not open. A value whose key was destroyed (an erased person's rows in a restored backup, or
 * an event that raced its person's deletion) opens to null, and callers treat the row as gone.
 */
public final class Sealer {

    /** What a sealed value is: part of its associated data. */
    public enum Kind {
        EVENT, PROFILE, LINK;

        /** The kind's name as the associated data holds it, encoded once instead of for every value. */
        private final byte[] label = name().getBytes(StandardCharsets.UTF_8);
    }

    /** Most keys kept for one unit of work; a project-wide stream forgets them past this. */
    private static final int MAX_REMEMBERED = 50_000;

    private final Keystore keystore;
    private final Map<ByteBuffer, DataKey> known = new HashMap<>();
    private final Set<ByteBuffer> absent = new HashSet<>();
    /** What a reader across units of work ({@link #acrossReads}) keeps between them; null for one unit of work. */
    private final ReaderKeys reader;

    Sealer(Keystore keystore) {
        this(keystore, null);
    }

    private Sealer(Keystore keystore, ReaderKeys reader) {
        this.keystore = keystore;
        this.reader = reader;
    }

    /** A reader's keys between its units of work, bounded: an export holds at most ~10 MB, 8 exports at once ~80 MB. */
    private static final class ReaderKeys {
        /** Keys kept unwrapped (~250 bytes each) or remembered as used once. */
        static final int MAX_KEYS = 16_384;
        /** Keys with a cipher of their own ({@link DataKey#opener}), the most recently used kept: ~1 KB each. */
        static final int MAX_OPENERS = 4_096;

        /** The project whose keys the reader holds, and its count of key destructions when they were checked. */
        long project = Long.MIN_VALUE;
        long destructions = -1;
        /** The keys unwrapped, by stored row (person key and wrapped key), for {@link Keystore#find}. */
        final Map<ByteBuffer, DataKey> unwrapped = new HashMap<>();
        /** Keys that opened one value; a key gets its own cipher at its second, as making one costs more than a key schedule. */
        final Set<DataKey> openedOnce = new HashSet<>();
        final Map<DataKey, DataKey.Opener> openers = new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<DataKey, DataKey.Opener> eldest) {
                return size() > MAX_OPENERS;
            }
        };

        void forgetPast() {
            if (unwrapped.size() > MAX_KEYS) {
                unwrapped.clear();
            }
            if (openedOnce.size() > MAX_KEYS) {
                openedOnce.clear();
            }
        }

        byte[] open(DataKey key, byte[] associated, byte[] sealed) {
            DataKey.Opener opener = openers.get(key);
            if (opener == null) {
                if (openedOnce.add(key)) {
                    return key.open(associated, sealed);
                }
                opener = key.opener();
                openers.put(key, opener);
            }
            return opener.open(associated, sealed);
        }
    }

    /**
     * A sealer for one reader that runs many short units of work (an export, a chunk each). Each unit first reads the
     * project's count of key destructions ({@link Keystore#destructions}): while it is unchanged, the keys found before
     * are all still in the keystore and are used again; once it changed, every key is read from the keystore again,
     * so a key destroyed before the unit began opens nothing in it. A key whose stored row is unchanged is not
     * unwrapped again, and it keeps its cipher. Each unit is one {@link #openUnitEncoded}. For one thread.
     */
    static Sealer acrossReads(Keystore keystore) {
        return new Sealer(keystore, new ReaderKeys());
    }

    /** Makes sure these person keys have data keys (creating the missing ones), in one keystore round trip. */
    public void prepare(long projectId, Collection<byte[]> personKeys) {
        List<byte[]> unknown = unknown(personKeys, true);
        if (!unknown.isEmpty()) {
            remember(keystore.findOrCreate(projectId, unknown, System.currentTimeMillis()), unknown);
        }
    }

    /** Looks up the data keys of these person keys in one keystore round trip, ahead of {@link #open}s. */
    public void load(long projectId, Collection<byte[]> personKeys) {
        List<byte[]> unknown = unknown(personKeys, false);
        if (!unknown.isEmpty()) {
            remember(keystore.find(projectId, unknown, reader == null ? null : reader.unwrapped), unknown);
        }
    }

    /** Takes keys another step already prepared (ingestion prepares them before its write transaction). */
    public void use(Map<ByteBuffer, DataKey> keys) {
        known.putAll(keys);
        absent.removeAll(keys.keySet());
    }

    private List<byte[]> unknown(Collection<byte[]> personKeys, boolean creating) {
        if (known.size() + absent.size() > MAX_REMEMBERED) {
            known.clear();
            absent.clear();
        }
        List<byte[]> out = new ArrayList<>();
        Set<ByteBuffer> seen = new HashSet<>();
        for (byte[] k : personKeys) {
            ByteBuffer b = ByteBuffer.wrap(k);
            if (!known.containsKey(b) && (creating || !absent.contains(b)) && seen.add(b)) {
                out.add(k);
            }
        }
        return out;
    }

    private void remember(Map<ByteBuffer, DataKey> found, List<byte[]> asked) {
        known.putAll(found);
        for (byte[] k : asked) {
            ByteBuffer b = ByteBuffer.wrap(k);
            if (!found.containsKey(b)) {
                absent.add(b);
            } else {
                absent.remove(b);
            }
        }
    }

    /** The fields sealed with the person's data key, made if the person has none yet. */
    public byte[] seal(long projectId, byte[] personKey, Kind kind, String... fields) {
        DataKey key = known.get(ByteBuffer.wrap(personKey));
        if (key == null) {
            prepare(projectId, List.of(personKey));
            key = known.get(ByteBuffer.wrap(personKey));
        }
        return key.seal(DataKey.associated(kind.label, projectId, personKey), encode(fields));
    }

    /** The fields {@link #seal} sealed, or null when the person's key is gone (or is not the one they were sealed with). */
    public String[] open(long projectId, byte[] personKey, Kind kind, byte[] sealed) {
        byte[] plain = openEncoded(projectId, personKey, kind, sealed);
        return plain == null ? null : decode(plain);
    }

    /** As {@link #open}, the fields left in their encoded form ({@link Encoded}). */
    private byte[] openEncoded(long projectId, byte[] personKey, Kind kind, byte[] sealed) {
        ByteBuffer b = ByteBuffer.wrap(personKey);
        if (!known.containsKey(b) && !absent.contains(b)) {
            load(projectId, List.of(personKey));
        }
        DataKey key = known.get(b);
        if (key == null) {
            return null;
        }
        byte[] associated = DataKey.associated(kind.label, projectId, personKey);
        return reader == null ? key.open(associated, sealed) : reader.open(key, associated, sealed);
    }

    /**
     * What a row of a sealed table holds: the person key it is sealed under, its sealed content, and the fields its
     * clear columns hold (what a row from before sealing, whose {@code sealed} is null, keeps there).
     */
    public record Stored(byte[] personKey, byte[] sealed, String... clear) {
    }

    /**
     * The fields of each row, in order: opened, or its clear columns for a row from before sealing; null where the
     * row's key is gone (it counts as erased). The page's keys are read in one keystore round trip.
     */
    public List<String[]> openAll(long projectId, Kind kind, List<Stored> rows) {
        loadAll(projectId, rows);
        List<String[]> out = new ArrayList<>(rows.size());
        for (Stored r : rows) {
            out.add(r.sealed() == null ? r.clear() : open(projectId, r.personKey(), kind, r.sealed()));
        }
        return out;
    }

    private void loadAll(long projectId, List<Stored> rows) {
        List<byte[]> persons = new ArrayList<>();
        for (Stored r : rows) {
            if (r.sealed() != null) {
                persons.add(r.personKey());
            }
        }
        if (!persons.isEmpty()) {
            load(projectId, persons);
        }
    }

    /**
     * For a reader across units of work ({@link #acrossReads}): opens these rows as a unit of work of its own, outside
     * any transaction, each row's fields left in their encoded form: an export copies them to its output as the UTF-8
     * they are, instead of decoding them to strings that it encodes again.
     */
    public List<Encoded> openUnitEncoded(long projectId, Kind kind, List<Stored> rows) {
        beginUnit(projectId);
        loadAll(projectId, rows);
        List<Encoded> out = new ArrayList<>(rows.size());
        for (Stored r : rows) {
            byte[] plain = r.sealed() == null ? encode(r.clear()) : openEncoded(projectId, r.personKey(), kind, r.sealed());
            out.add(plain == null ? null : new Encoded(plain));
        }
        return out;
    }

    /** Starts a unit of work of a reader {@link #acrossReads} over the project's rows. */
    private void beginUnit(long projectId) {
        if (reader == null) {
            throw new IllegalStateException("only a reader across units of work opens rows outside a transaction");
        }
        // why: a key made since (the person's first event) must be found, so what was absent is looked up again
        absent.clear();
        reader.forgetPast();
        // why: read before any key this unit looks up, so a destruction committing after it is counted for the next
        long destructions = keystore.destructions(projectId);
        if (projectId != reader.project || destructions != reader.destructions) {
            known.clear();
            reader.project = projectId;
            reader.destructions = destructions;
        }
    }

    /**
     * Opened fields as {@link #seal} encoded them: each its UTF-8 length (4 bytes) and bytes. {@link #from} and
     * {@link #length} locate a field's bytes, {@link #text} decodes one.
     */
    public record Encoded(byte[] bytes) {

        /** Where field {@code index} (from 0) starts; throws if there are fewer fields. */
        public int from(int index) {
            int at = 0;
            for (int i = 0; i <= index; i++) {
                if (at + 4 > bytes.length) {
                    throw new IllegalArgumentException("no field " + index);
                }
                if (i < index) {
                    at = next(at + 4);
                }
            }
            return at + 4;
        }

        /** The length in bytes of the field starting at {@code from} ({@link #from}). */
        public int length(int from) {
            return ByteBuffer.wrap(bytes).getInt(from - 4);
        }

        /** Field {@code index}, decoded. */
        public String text(int index) {
            return textAt(from(index));
        }

        /** Where the field after the one starting at {@code from} has its length. */
        private int next(int from) {
            return from + length(from);
        }

        private String textAt(int from) {
            return new String(bytes, from, length(from), StandardCharsets.UTF_8);
        }

        /** Every field, decoded. */
        private String[] texts() {
            List<String> out = new ArrayList<>(3);
            for (int at = 0; at + 4 <= bytes.length; at = next(at + 4)) {
                out.add(textAt(at + 4));
            }
            return out.toArray(String[]::new);
        }
    }

    /** Each field as its UTF-8 length (4 bytes) and bytes. */
    static byte[] encode(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (String f : fields) {
            byte[] bytes = f.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >>> 24);
            out.write(bytes.length >>> 16);
            out.write(bytes.length >>> 8);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    static String[] decode(byte[] plain) {
        return new Encoded(plain).texts();
    }
}
