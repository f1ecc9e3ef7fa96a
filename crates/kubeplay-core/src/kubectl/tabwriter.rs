//! Go's `text/tabwriter`, which lays out every kubectl table and `describe`: tab-terminated cells
//! in a column block (consecutive lines that have a cell in that column) are padded to the
//! block's widest cell plus the padding; the text after a line's last tab is never padded.

/// The settings kubectl uses with `tabwriter.NewWriter` (only a space pad character occurs).
#[derive(Debug, Clone, Copy)]
pub struct TabWriter {
    pub min_width: usize,
    pub padding: usize,
}

/// cli-runtime `printers.GetNewTabWriter`: `tabwriter.NewWriter(out, 6, 4, 3, ' ', 0)`.
pub const TABLE: TabWriter = TabWriter {
    min_width: 6,
    padding: 3,
};

/// describe's `tabbedString`: `out.Init(buf, 0, 8, 2, ' ', 0)`.
pub const DESCRIBE: TabWriter = TabWriter {
    min_width: 0,
    padding: 2,
};

impl TabWriter {
    /// Formats `text` as writing it all and flushing once does. (The writer flushes by itself at
    /// every line without a tab, which ends every column block anyway, so one pass is the same.)
    pub fn format(&self, text: &str) -> String {
        let mut pieces: Vec<&str> = text.split('\n').collect();
        // The text after the last newline is a line only when it holds something.
        let unterminated = pieces.pop().filter(|last| !last.is_empty());
        let mut lines: Vec<Vec<&str>> = pieces
            .iter()
            .map(|line| line.split('\t').collect())
            .collect();
        let last_line = match unterminated {
            Some(last) => last.split('\t').collect(),
            None => Vec::new(),
        };
        lines.push(last_line);
        let mut out = String::with_capacity(text.len() * 2);
        let mut widths = Vec::new();
        self.format_block(&mut out, &lines, &mut widths, 0, lines.len());
        out
    }

    /// `Writer.format`: finds the column blocks of column `widths.len()` between `line0` and
    /// `line1`, sizes each, and recurses into the next column.
    fn format_block(
        &self,
        out: &mut String,
        lines: &[Vec<&str>],
        widths: &mut Vec<usize>,
        mut line0: usize,
        line1: usize,
    ) {
        let column = widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(out, lines, widths, line0, this);
            line0 = this;
            let mut width = self.min_width;
            while this < line1 && column + 1 < lines[this].len() {
                width = width.max(cell_width(lines[this][column]) + self.padding);
                this += 1;
            }
            widths.push(width);
            self.format_block(out, lines, widths, line0, this);
            widths.pop();
            line0 = this;
        }
        self.write_lines(out, lines, widths, line0, line1);
    }

    fn write_lines(
        &self,
        out: &mut String,
        lines: &[Vec<&str>],
        widths: &[usize],
        line0: usize,
        line1: usize,
    ) {
        for (index, line) in lines.iter().enumerate().take(line1).skip(line0) {
            for (column, cell) in line.iter().enumerate() {
                out.push_str(cell);
                if let Some(width) = widths.get(column) {
                    let pad = width.saturating_sub(cell_width(cell));
                    out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            if index + 1 < lines.len() {
                out.push('\n');
            }
        }
    }
}

/// Go's tabwriter measures a cell in runes.
fn cell_width(cell: &str) -> usize {
    cell.chars().count()
}

/// cli-runtime `printers.WriteEscaped`: ESC and CR would drive the terminal, so they are shown.
pub fn escape_terminal(text: &str) -> String {
    if !text.contains(['\x1b', '\r']) {
        return text.to_string();
    }
    text.replace('\x1b', "^[").replace('\r', "\\r")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_columns_to_the_widest_cell() {
        let text = "NAME\tREADY\tSTATUS\nweb-1\t1/1\tRunning\nlonger-name\t0/1\tPending\n";
        assert_eq!(
            TABLE.format(text),
            "NAME          READY   STATUS\n\
             web-1         1/1     Running\n\
             longer-name   0/1     Pending\n"
        );
    }

    #[test]
    fn lines_without_tabs_end_column_blocks() {
        let text = "Name:\tweb\nNamespace:\tdefault\nContainers:\n  nginx:\n    Image:\tnginx\n";
        assert_eq!(
            DESCRIBE.format(text),
            "Name:       web\n\
             Namespace:  default\n\
             Containers:\n  nginx:\n    Image:  nginx\n"
        );
    }

    #[test]
    fn empty_cells_are_padded_and_trailing_text_is_not() {
        let text = "a\t\tb \nccc\tdd\te\n";
        assert_eq!(DESCRIBE.format(text), "a        b \nccc  dd  e\n");
    }

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escape_terminal("a\x1b[31mb\rc"), "a^[[31mb\\rc");
    }
}
