package dev.sluice.bench.db;

import dev.sluice.store.jdbc.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the fresh databases of one run are made: a database server reached through an
 * administrative URL (PostgreSQL, MariaDB), or a folder for SQLite files. Immutable.
 *
 * @param store the kind of database
 * @param adminUrl the URL connected to when creating and dropping databases; null for SQLite
 * @param user the user name, or null
 * @param password the password, or null
 * @param sqliteDir the folder that holds SQLite files; null for server databases
 * @param ownsSqliteDir true when the folder is a temporary one this run created and deletes
 */
public record ServerBase(StoreKind store, String adminUrl, String user, String password, Path sqliteDir,
                         boolean ownsSqliteDir) {
    private static final Pattern SERVER_URL = Pattern.compile("^(jdbc:[a-z]+://[^/?]+)(/[^?]*)?(\\?.*)?$");

    /**
     * The base for {@code store}: {@code url} when given (for SQLite, the folder of its file),
     * otherwise the local default server or a temporary folder.
     */
    public static ServerBase of(StoreKind store, String url, String user, String password) {
        if (store == StoreKind.SQLITE) {
            if (url == null) {
                try {
                    return new ServerBase(store, null, null, null, Files.createTempDirectory("sluice-bench-"), true);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a temporary folder for SQLite", e);
                }
            }
            if (!url.startsWith("jdbc:sqlite:")) {
                throw new IllegalArgumentException("--db for sqlite must be jdbc:sqlite:FILE, got " + url);
            }
            Path file = Path.of(url.substring("jdbc:sqlite:".length())).toAbsolutePath();
            return new ServerBase(store, null, null, null, file.getParent(), false);
        }
        String admin = url != null ? url : store.defaultUrl();
        if (!Dialect.fromJdbcUrl(admin).dir().equals(store.label())) {
            throw new IllegalArgumentException("--db " + admin + " is not a " + store + " URL");
        }
        return new ServerBase(store, admin, user != null ? user : store.defaultUser(),
                password != null ? password : store.defaultPassword(), null, false);
    }

    /** Deletes the temporary SQLite folder when this run created it; otherwise does nothing. */
    public void deleteOwnedFolder() {
        if (!ownsSqliteDir) {
            return;
        }
        try (var files = Files.list(sqliteDir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(sqliteDir);
        } catch (IOException e) {
            System.err.println("could not delete " + sqliteDir + ": " + e.getMessage());
        }
    }

    /** The URL of database {@code name} on the same server, keeping the admin URL's parameters. */
    public String urlOf(String name) {
        Matcher m = SERVER_URL.matcher(adminUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot read host and database from " + adminUrl
                    + "; expected jdbc:" + store + "://HOST[:PORT]/DATABASE");
        }
        return m.group(1) + "/" + name + (m.group(3) == null ? "" : m.group(3));
    }
}
