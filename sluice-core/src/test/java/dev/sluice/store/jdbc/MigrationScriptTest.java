package dev.sluice.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a migration script is cut into statements. */
class MigrationScriptTest {

    @Test
    void statementsEndAtLinesEndingInASemicolon() {
        List<String> statements = nonBlank(JdbcExecutor.statements("""
                CREATE TABLE a (x INT);
                CREATE INDEX a_x ON a (x) ;
                ALTER TABLE a
                    ADD COLUMN y INT;
                """));
        assertThat(statements).containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX a_x ON a (x)",
                "ALTER TABLE a\n    ADD COLUMN y INT");
    }

    @Test
    void aDollarQuotedFunctionBodyStaysOneStatement() {
        List<String> statements = nonBlank(JdbcExecutor.statements("""
                CREATE FUNCTION f() RETURNS INT LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM 1;
                    RETURN 2;
                END
                $$;
                SELECT f();
                """));
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0)).startsWith("CREATE FUNCTION").contains("PERFORM 1;", "RETURN 2;").endsWith("$$");
        assertThat(statements.get(1)).isEqualTo("SELECT f()");
    }

    @Test
    void aTaggedDollarQuoteEndsOnlyAtItsOwnTagEvenAroundPlainDollarQuotes() {
        List<String> statements = nonBlank(JdbcExecutor.statements("""
                CREATE FUNCTION g() RETURNS TEXT LANGUAGE plpgsql AS $fn$
                BEGIN
                    EXECUTE $$SELECT 1;$$;
                    RETURN $inner$ends; here$inner$;
                END
                $fn$;
                SELECT g();
                """));
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0)).startsWith("CREATE FUNCTION")
                .contains("EXECUTE $$SELECT 1;$$;", "RETURN $inner$ends; here$inner$;").endsWith("$fn$");
        assertThat(statements.get(1)).isEqualTo("SELECT g()");
    }

    @Test
    void aSemicolonInsideAQuotedStringDoesNotEndTheStatement() {
        List<String> statements = nonBlank(JdbcExecutor.statements("""
                INSERT INTO t (a, b) VALUES ('it''s; still one', 'x');
                INSERT INTO t (a) VALUES ('spans
                lines;
                ');
                SELECT '$$', '-- not a comment;', "odd;name" FROM t;
                """));
        assertThat(statements).containsExactly(
                "INSERT INTO t (a, b) VALUES ('it''s; still one', 'x')",
                "INSERT INTO t (a) VALUES ('spans\nlines;\n')",
                "SELECT '$$', '-- not a comment;', \"odd;name\" FROM t");
    }

    @Test
    void onMariaDbABackslashEscapesAQuoteInsideAString() {
        List<String> statements = nonBlank(JdbcExecutor.statements("""
                INSERT INTO t (a, b) VALUES ('it\\'s; one', "say \\"hi\\";");
                SELECT 2;
                """, Dialect.MARIADB));
        assertThat(statements).containsExactly("INSERT INTO t (a, b) VALUES ('it\\'s; one', \"say \\\"hi\\\";\")",
                "SELECT 2");
    }

    @Test
    void onPostgresqlABackslashEscapesOnlyInsideAnEString() {
        List<String> statements = nonBlank(JdbcExecutor.statements("""
                SELECT E'it\\'s; one', e'\\\\';
                SELECT 'C:\\';
                SELECT 3;
                """, Dialect.POSTGRESQL));
        assertThat(statements).containsExactly("SELECT E'it\\'s; one', e'\\\\'", "SELECT 'C:\\'", "SELECT 3");
    }

    @Test
    void onPostgresqlBlockCommentsNest() {
        List<String> statements = nonBlank(JdbcExecutor.statements("""
                /* outer /* inner; */ still the comment; */ SELECT 1;
                SELECT 2;
                """, Dialect.POSTGRESQL));
        assertThat(statements).containsExactly("/* outer /* inner; */ still the comment; */ SELECT 1", "SELECT 2");
    }

    @Test
    void commentsAreNoStatementsWhateverTheyContain() {
        List<String> statements = nonBlank(JdbcExecutor.statements("""
                -- The header; it's a comment with a semicolon, a quote and $$.
                CREATE TABLE a (
                    x INT, -- the x;
                    y INT /* the y; it's */
                );
                -- trailing remark;
                """));
        assertThat(statements).containsExactly("CREATE TABLE a (\n    x INT, \n    y INT /* the y; it's */\n)");
    }

    @Test
    void aDollarSignInsideANameOrAParameterOpensNoQuote() {
        List<String> statements = nonBlank(JdbcExecutor.statements("""
                SELECT a$b$c, $1 FROM t;
                SELECT 2;
                """));
        assertThat(statements).containsExactly("SELECT a$b$c, $1 FROM t", "SELECT 2");
    }

    private static List<String> nonBlank(List<String> statements) {
        return statements.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
