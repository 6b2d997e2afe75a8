package ds01.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

    @Test
    void quotesWhatWouldSplitAFieldAndDefusesFormulas() {
        assertThat(Csv.row("ds01alice", 3.5, null)).isEqualTo("ds01alice,3.5,\r\n");
        assertThat(Csv.row("a,b", "say \"hi\"", "two\nlines")).isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
        assertThat(Csv.row("=HYPERLINK(\"x\")", "@SUM(1)", "-2", "+cmd")).as("formulas are text, numbers stay numbers")
                .isEqualTo("\"'=HYPERLINK(\"\"x\"\")\",'@SUM(1),-2,'+cmd\r\n");
        assertThat(Csv.attachment("audit 2026-11-29.csv")).isEqualTo("attachment; filename=\"audit_2026-11-29.csv\"");
    }
}
