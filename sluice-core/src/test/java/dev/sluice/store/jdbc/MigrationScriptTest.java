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

    private static List<String> nonBlank(List<String> statements) {
        return statements.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
