package io.geoetl.vector;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Source field names as PostgreSQL column names that need no quoting and cannot collide. */
final class ColumnNames {

    /** PostgreSQL truncates longer identifiers, which would turn two long field names into one. */
    private static final int MAX_IDENTIFIER_BYTES = 63;
    private static final Pattern SAFE_NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

    /** Latin letters that are not a base letter plus an accent, so NFD would not reduce them to ASCII. */
    private static final Map<String, String> LATIN_LETTERS = Map.ofEntries(Map.entry("\u00df", "ss"),
            Map.entry("\u00e6", "ae"), Map.entry("\u00c6", "AE"), Map.entry("\u0153", "oe"), Map.entry("\u0152", "OE"),
            Map.entry("\u00f8", "o"), Map.entry("\u00d8", "O"), Map.entry("\u0142", "l"), Map.entry("\u0141", "L"),
            Map.entry("\u0111", "d"), Map.entry("\u0110", "D"), Map.entry("\u00fe", "th"), Map.entry("\u00de", "TH"),
            Map.entry("\u00f0", "d"), Map.entry("\u00d0", "D"), Map.entry("\u0131", "i"));

    private ColumnNames() {
    }

    private static String latinLetters(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            String letters = LATIN_LETTERS.get(Character.toString(c));
            if (letters == null) {
                out.appendCodePoint(c);
            } else {
                out.append(letters);
            }
        });
        return out.toString();
    }

    /**
     * Column names for source fields: lower-case ASCII letters, digits and underscores, not starting
     * with a digit, at most 63 bytes, unique, and neither the geometry nor the fid column. Accents are
     * dropped ("L\u00e4nge" becomes "lange"), a few Latin letters are spelled out ("Stra\u00dfe" becomes
     * "strasse"), other characters become underscores, and a clash gets a
     * suffix (_2, _3, ...). Names that are safe already are kept first, so they never take a suffix.
     */
    static Map<String, String> safe(List<String> names) {
        Map<String, String> safe = new HashMap<>();
        Set<String> taken = new HashSet<>(List.of(CopyIntermediate.GEOMETRY_COLUMN,
                CopyIntermediate.FID_COLUMN));
        for (String name : names) {
            if (SAFE_NAME.matcher(name).matches() && taken.add(name)) {
                safe.put(name, name);
            }
        }
        for (String name : names) {
            if (safe.containsKey(name)) {
                continue;
            }
            String base = Normalizer.normalize(latinLetters(name), Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                    .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
            if (base.isEmpty() || base.chars().allMatch(c -> c == '_')) {
                base = "field";
            } else if (Character.isDigit(base.charAt(0))) {
                base = "f_" + base;
            }
            base = base.substring(0, Math.min(base.length(), MAX_IDENTIFIER_BYTES));
            String candidate = base;
            for (int n = 2; !taken.add(candidate); n++) {
                String suffix = "_" + n;
                candidate = base.substring(0, Math.min(base.length(), MAX_IDENTIFIER_BYTES - suffix.length()))
                        + suffix;
            }
            safe.put(name, candidate);
        }
        Map<String, String> inSourceOrder = new LinkedHashMap<>();
        names.forEach(name -> inSourceOrder.put(name, safe.get(name)));
        return inSourceOrder;
    }
}
