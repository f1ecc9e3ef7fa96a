//! `kubectl -o yaml`: cli-runtime `YAMLPrinter`, which marshals with sigs.k8s.io/yaml, i.e. the
//! object's JSON read back and written by go-yaml v2. This ports the parts of go-yaml's encoder
//! and emitter (`encode.go`, `emitterc.go`, `resolve.go`, `sorter.go`) that JSON values reach:
//! block mappings and sequences, `{}` and `[]` for empty ones, keys in go-yaml's natural order,
//! and each string in the style go-yaml picks (plain, single- or double-quoted, `|` literal),
//! wrapped at spaces past column 80 as go-yaml's emitter does.

use serde_json::{Map, Value};

use crate::kubectl::gofmt::{GoNumber, format_float_g};
use crate::kubectl::gosort;

/// go-yaml's `best_width`.
const BEST_WIDTH: usize = 80;
/// go-yaml's `best_indent`.
const BEST_INDENT: usize = 2;

/// `kubectl -o yaml` of an object's JSON.
pub fn to_yaml(value: &Value) -> String {
    let mut emitter = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
    };
    emitter.emit_value(value, None, false);
    // Document end: `yaml_emitter_write_indent` at indent 0 ends the last line.
    emitter.write_indent(0);
    emitter.out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// The emitter's position: what has been written and the flags `yaml_emitter_write_indent` reads.
struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// `yaml_emitter_write_indent`.
    fn write_indent(&mut self, indent: usize) {
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    /// `yaml_emitter_write_indicator`.
    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// Emits a node whose parent collection sits at `parent` (None at the root).
    fn emit_value(&mut self, value: &Value, parent: Option<usize>, mapping_context: bool) {
        match value {
            Value::Object(map) if !map.is_empty() => self.emit_mapping(map, parent),
            Value::Array(items) if !items.is_empty() => {
                self.emit_sequence(items, parent, mapping_context)
            }
            Value::Object(_) => {
                self.write_indicator("{", true, true, false);
                self.write_indicator("}", false, false, false);
            }
            Value::Array(_) => {
                self.write_indicator("[", true, true, false);
                self.write_indicator("]", false, false, false);
            }
            scalar => {
                // yaml_emitter_emit_scalar raises the indent (flow) before writing the scalar.
                let indent = parent.map_or(BEST_INDENT, |parent| parent + BEST_INDENT);
                self.emit_scalar(scalar, indent, false);
            }
        }
    }

    fn emit_mapping(&mut self, map: &Map<String, Value>, parent: Option<usize>) {
        let indent = parent.map_or(0, |parent| parent + BEST_INDENT);
        let mut entries: Vec<(&String, &Value)> = map.iter().collect();
        gosort::sort_by(&mut entries, |a, b| key_less(a.0, b.0));
        for (key, value) in entries {
            self.write_indent(indent);
            self.emit_string(key, indent + BEST_INDENT, true);
            self.write_indicator(":", false, false, false);
            self.emit_value(value, Some(indent), true);
        }
    }

    fn emit_sequence(&mut self, items: &[Value], parent: Option<usize>, mapping_context: bool) {
        // A sequence that is a mapping's value is "indentless": its dashes line up with the key.
        let indentless = mapping_context && !self.indention;
        let indent = match parent {
            None => 0,
            Some(parent) if indentless => parent,
            Some(parent) => parent + BEST_INDENT,
        };
        for item in items {
            self.write_indent(indent);
            self.write_indicator("-", true, false, true);
            self.emit_value(item, Some(indent), false);
        }
    }

    fn emit_scalar(&mut self, value: &Value, indent: usize, simple_key: bool) {
        match value {
            Value::Null => self.write_plain("null", indent, !simple_key),
            Value::Bool(flag) => {
                self.write_plain(if *flag { "true" } else { "false" }, indent, !simple_key)
            }
            Value::Number(number) => {
                let text = match GoNumber::of(number) {
                    GoNumber::Float(float) => format_float_g(float),
                    other => other.to_text(),
                };
                self.write_plain(&text, indent, !simple_key);
            }
            Value::String(text) => self.emit_string(text, indent, simple_key),
            // Collections never reach here; emit_value handles them.
            Value::Array(_) | Value::Object(_) => {}
        }
    }

    fn emit_string(&mut self, text: &str, indent: usize, simple_key: bool) {
        let allow_breaks = !simple_key;
        match select_style(text, simple_key) {
            Style::Plain => self.write_plain(text, indent, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(text, indent, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(text, indent, allow_breaks),
            Style::Literal => self.write_literal(text, indent),
        }
    }

    /// `yaml_emitter_write_plain_scalar` (only single-line text is written plain).
    fn write_plain(&mut self, text: &str, indent: usize, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_is_space {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    /// `yaml_emitter_write_single_quoted_scalar` (single-quoted text never holds line breaks).
    fn write_single_quoted(&mut self, text: &str, indent: usize, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                    && !next_is_space
                {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// `yaml_emitter_write_double_quoted_scalar`.
    fn write_double_quoted(&mut self, text: &str, indent: usize, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c => {
                        let code = c as u32;
                        let (letter, width) = match code {
                            0..=0xff => ('x', 2),
                            0x100..=0xffff => ('u', 4),
                            _ => ('U', 8),
                        };
                        self.put(letter);
                        for digit in format!("{code:0width$X}").chars() {
                            self.put(digit);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i + 1 != chars.len()
                {
                    self.write_indent(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// `yaml_emitter_write_literal_scalar` with its block scalar hints.
    fn write_literal(&mut self, text: &str, indent: usize) {
        self.write_indicator("|", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        if chars.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = match chars.as_slice() {
            [] => Some('-'),
            [.., last] if !is_break(*last) => Some('-'),
            [_] => Some('+'),
            [.., before, _] if is_break(*before) => Some('+'),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(&chomp.to_string(), false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in &chars {
            if is_break(c) {
                self.put_break();
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// go-yaml's `is_printable`: what may appear unescaped (with the emitter in unicode mode).
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}')
        || ('\u{e000}'..='\u{fffd}').contains(&c) && c != '\u{feff}'
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// What `yaml_emitter_analyze_scalar` allows for a string.
struct Analysis {
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze(text: &str) -> Analysis {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return Analysis {
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = text.starts_with("---") || text.starts_with("...");
    let mut line_breaks = false;
    let mut special_characters = false;
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|&next| is_blank(next));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special_characters = true;
        }
        let last = i + 1 == chars.len();
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank(c) || is_break(c) || c == '\0';
    }
    let mut analysis = Analysis {
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        analysis.block_plain_allowed = false;
    }
    if trailing_space {
        analysis.block_allowed = false;
    }
    if break_space {
        analysis.block_plain_allowed = false;
        analysis.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        analysis.block_plain_allowed = false;
        analysis.single_quoted_allowed = false;
        analysis.block_allowed = false;
    }
    if line_breaks || block_indicators {
        analysis.block_plain_allowed = false;
    }
    analysis
}

/// go-yaml's `stringv` choice, refined by `yaml_emitter_select_scalar_style`.
fn select_style(text: &str, simple_key: bool) -> Style {
    let analysis = analyze(text);
    let requested = if text.contains('\n') {
        Style::Literal
    } else if resolves_to_string(text) && !is_base60_float(text) {
        Style::Plain
    } else {
        Style::DoubleQuoted
    };
    match requested {
        Style::Literal if !analysis.block_allowed || simple_key => Style::DoubleQuoted,
        Style::Plain if !analysis.block_plain_allowed => {
            if analysis.single_quoted_allowed {
                Style::SingleQuoted
            } else {
                Style::DoubleQuoted
            }
        }
        style => style,
    }
}

/// go-yaml v2 `resolve`: whether the text, written plain, would read back as a string.
fn resolves_to_string(text: &str) -> bool {
    const NOT_STRINGS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    let Some(first) = text.chars().next() else {
        return false;
    };
    let hinted = first.is_ascii_digit() || "+-.yYnNtTfFoO~".contains(first);
    if !hinted {
        return true;
    }
    if NOT_STRINGS.contains(&text) {
        return false;
    }
    if first == '.' {
        return text.parse::<f64>().is_err();
    }
    if !(first.is_ascii_digit() || first == '+' || first == '-') {
        return true;
    }
    if is_timestamp(text) {
        return false;
    }
    let plain = text.replace('_', "");
    if go_parse_int(&plain).is_some() {
        return false;
    }
    if is_yaml_style_float(&plain) && plain.parse::<f64>().is_ok_and(f64::is_finite) {
        return false;
    }
    if let Some(binary) = plain.strip_prefix("0b") {
        return i64::from_str_radix(binary, 2).is_err() && u64::from_str_radix(binary, 2).is_err();
    }
    if let Some(binary) = plain.strip_prefix("-0b") {
        return i64::from_str_radix(&format!("-{binary}"), 2).is_err();
    }
    true
}

/// `strconv.ParseInt(s, 0, 64)` or `ParseUint(s, 0, 64)`: Go's literal prefixes, octal with a
/// leading zero.
fn go_parse_int(text: &str) -> Option<i128> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = unsigned.to_ascii_lowercase();
    let (digits, radix) = if let Some(hex) = lower.strip_prefix("0x") {
        (hex, 16)
    } else if let Some(octal) = lower.strip_prefix("0o") {
        (octal, 8)
    } else if let Some(binary) = lower.strip_prefix("0b") {
        (binary, 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    let value = if negative {
        -i128::from(magnitude)
    } else {
        i128::from(magnitude)
    };
    let fits = if unsigned.len() == text.len() {
        // No sign: ParseUint may take what ParseInt cannot.
        true
    } else {
        (i128::from(i64::MIN)..=i128::from(i64::MAX)).contains(&value)
    };
    fits.then_some(value)
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(text: &str) -> bool {
    let rest = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent
        .is_none_or(|exponent| digits(exponent.strip_prefix(['-', '+']).unwrap_or(exponent)));
    mantissa_ok && exponent_ok
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(text: &str) -> bool {
    let rest = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (body, fraction) = match rest.split_once('.') {
        Some((body, fraction)) => (body, Some(fraction)),
        None => (rest, None),
    };
    if fraction.is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit() || b == b'_')) {
        return false;
    }
    let mut parts = body.split(':');
    let Some(head) = parts.next() else {
        return false;
    };
    if !head.starts_with(|c: char| c.is_ascii_digit())
        || !head.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return false;
    }
    let sixties: Vec<&str> = parts.collect();
    !sixties.is_empty()
        && sixties.iter().all(|part| match part.as_bytes() {
            [d] => d.is_ascii_digit(),
            [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
            _ => false,
        })
}

/// go-yaml's `parseTimestamp`: `2006-1-2T15:4:5.999999999Z07:00` (or `t`), `2006-1-2 15:4:5.999999999`
/// or `2006-1-2`, with `time.Parse`'s range checks.
fn is_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    let leading_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if leading_digits != 4 || bytes.get(4) != Some(&b'-') {
        return false;
    }
    let year: i64 = text[..4].parse().unwrap_or(0);
    let mut cursor = Cursor { bytes, at: 5 };
    let (Some(month), true, Some(day)) = (cursor.number(), cursor.eat(b'-'), cursor.number())
    else {
        return false;
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    if cursor.done() {
        return true;
    }
    let zoned = match cursor.next() {
        Some(b'T' | b't') => true,
        Some(b' ') => false,
        _ => return false,
    };
    let (Some(hour), true, Some(minute), true, Some(second)) = (
        cursor.number(),
        cursor.eat(b':'),
        cursor.number(),
        cursor.eat(b':'),
        cursor.number(),
    ) else {
        return false;
    };
    if hour >= 24 || minute >= 60 || second >= 60 {
        return false;
    }
    if matches!(cursor.peek(), Some(b'.' | b','))
        && cursor.peek_at(1).is_some_and(|b| b.is_ascii_digit())
    {
        cursor.at += 1;
        while cursor.peek().is_some_and(|b| b.is_ascii_digit()) {
            cursor.at += 1;
        }
    }
    if zoned && !cursor.eat(b'Z') {
        let rest = &bytes[cursor.at..];
        let offset_ok = rest.len() >= 6
            && matches!(rest[0], b'+' | b'-')
            && rest[1..3].iter().all(u8::is_ascii_digit)
            && rest[3] == b':'
            && rest[4..6].iter().all(u8::is_ascii_digit);
        if !offset_ok {
            return false;
        }
        cursor.at += 6;
    }
    cursor.done()
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    /// Go's `getnum(value, false)`: one or two digits.
    fn number(&mut self) -> Option<i64> {
        let first = *self.bytes.get(self.at).filter(|b| b.is_ascii_digit())?;
        self.at += 1;
        let mut value = i64::from(first - b'0');
        if let Some(second) = self.bytes.get(self.at).filter(|b| b.is_ascii_digit()) {
            value = value * 10 + i64::from(second - b'0');
            self.at += 1;
        }
        Some(value)
    }

    fn eat(&mut self, byte: u8) -> bool {
        let matched = self.bytes.get(self.at) == Some(&byte);
        if matched {
            self.at += 1;
        }
        matched
    }

    fn next(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.at + offset).copied()
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// go-yaml v2's `keyList.Less` for string keys: letters after everything else, runs of digits
/// compared as numbers.
fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn writes_objects_as_kubectl_does() {
        let pod = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "creationTimestamp": "2026-01-05T09:00:00Z",
                "labels": {"app": "web", "app.kubernetes.io/name": "web"},
                "name": "web",
                "resourceVersion": "12",
                "uid": "0d7f3c1e-8d2a-4a61-9f0e-2b6c5d4e3f21"
            },
            "spec": {
                "containers": [{
                    "args": ["sh", "-c", "echo hello\nsleep 10\n"],
                    "image": "nginx",
                    "name": "nginx",
                    "resources": {},
                    "ports": []
                }],
                "tolerations": [{"effect": "NoExecute", "operator": "Exists", "tolerationSeconds": 300}],
                "terminationGracePeriodSeconds": 30,
                "enableServiceLinks": true
            },
            "status": {"phase": "Pending", "nominatedNodeName": null}
        });
        assert_eq!(
            to_yaml(&pod),
            r#"apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2026-01-05T09:00:00Z"
  labels:
    app: web
    app.kubernetes.io/name: web
  name: web
  resourceVersion: "12"
  uid: 0d7f3c1e-8d2a-4a61-9f0e-2b6c5d4e3f21
spec:
  containers:
  - args:
    - sh
    - -c
    - |
      echo hello
      sleep 10
    image: nginx
    name: nginx
    ports: []
    resources: {}
  enableServiceLinks: true
  terminationGracePeriodSeconds: 30
  tolerations:
  - effect: NoExecute
    operator: Exists
    tolerationSeconds: 300
status:
  nominatedNodeName: null
  phase: Pending
"#
        );
    }

    #[test]
    fn quotes_strings_as_go_yaml_does() {
        let cases = [
            ("plain", "plain"),
            ("true", "\"true\""),
            ("yes", "\"yes\""),
            ("", "\"\""),
            ("null", "\"null\""),
            ("~", "\"~\""),
            ("1", "\"1\""),
            ("1.5", "\"1.5\""),
            ("0755", "\"0755\""),
            ("08", "\"08\""),
            ("1e3", "\"1e3\""),
            ("0x1F", "\"0x1F\""),
            ("10:30", "\"10:30\""),
            ("2026-01-05", "\"2026-01-05\""),
            ("2026-13-05", "2026-13-05"),
            ("1.2.3", "1.2.3"),
            ("-c", "-c"),
            ("-", "'-'"),
            ("a: b", "'a: b'"),
            ("a:b", "a:b"),
            (" lead", "' lead'"),
            ("trail ", "'trail '"),
            ("#x", "'#x'"),
            ("x #y", "'x #y'"),
            ("x#y", "x#y"),
            ("*", "'*'"),
            ("don't", "don't"),
            ("'q'", "'''q'''"),
            ("a\tb", "\"a\\tb\""),
            ("a\rb", "\"a\\rb\""),
            ("é", "é"),
            ("a\nb", "|-\n  a\n  b"),
            ("a\n\n", "|+\n  a\n"),
            (" a\nb\n", "|2\n   a\n  b"),
            ("a \nb", "\"a \\nb\""),
            ("[x]", "'[x]'"),
            ("{x}", "'{x}'"),
            ("@x", "'@x'"),
            ("%x", "'%x'"),
            ("x, y", "x, y"),
        ];
        for (input, expected) in cases {
            let out = to_yaml(&json!({ "k": input }));
            assert_eq!(out, format!("k: {expected}\n"), "{input:?}");
        }
    }

    #[test]
    fn wraps_long_strings_past_column_80() {
        let message = "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available";
        let out = to_yaml(
            &json!({"status": {"conditions": [{"message": message, "type": "PodScheduled"}]}}),
        );
        assert_eq!(
            out,
            "status:\n  conditions:\n  - message: '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:\n      }, 3 Insufficient cpu. preemption: 0/4 nodes are available'\n    type: PodScheduled\n"
        );
        let plain = "word ".repeat(30);
        let out = to_yaml(&json!({ "description": plain.trim_end() }));
        assert_eq!(
            out,
            "description: word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word word word\n"
        );
    }

    #[test]
    fn sorts_keys_naturally() {
        let out = to_yaml(&json!({"a10": 1, "a9": 2, "B": 3, "a": 4, "a-b": 5, "ab": 6}));
        assert_eq!(out, "B: 3\na: 4\na-b: 5\na9: 2\na10: 1\nab: 6\n");
    }

    #[test]
    fn writes_numbers_and_nesting() {
        // "n" reads back as a YAML 1.1 boolean, so go-yaml quotes even the key.
        let out = to_yaml(
            &json!({"f": 0.5, "big": 1e21, "n": -3, "list": [[1, 2], {"a": []}], "empty": {}}),
        );
        assert_eq!(
            out,
            "big: 1e+21\nempty: {}\nf: 0.5\nlist:\n- - 1\n  - 2\n- a: []\n\"n\": -3\n"
        );
    }
}
