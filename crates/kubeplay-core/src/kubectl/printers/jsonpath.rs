//! `kubectl -o jsonpath=...`: client-go `util/jsonpath` (`parser.go`, `jsonpath.go`) as cli-runtime's
//! `JSONPathPrinter` runs it over the object's unstructured content, with kubectl's default
//! `--allow-missing-template-keys=true`. Ported closely, quirks included: `{range}` over nothing
//! skips the rest of the template, numbers from the object never equal integer literals in
//! filters (int64 against float64), `true`/`false` literals cannot be evaluated.

use serde_json::Value;

use crate::kubectl::gofmt::{GoNumber, format_float_g, go_quote};

use super::json::to_compact_json;

/// `kubectl get -o jsonpath=<template>`: the text printed, or what kubectl prints on stderr.
pub fn jsonpath(template: &str, value: &Value) -> Result<String, String> {
    jsonpath_with(template, value, true)
}

/// As [`jsonpath`], with `--allow-missing-template-keys` given.
pub fn jsonpath_with(
    template: &str,
    value: &Value,
    allow_missing_keys: bool,
) -> Result<String, String> {
    let nodes = parse(template)
        .map_err(|error| format!("error: error parsing jsonpath {template}, {error}\n"))?;
    let mut engine = Engine {
        stack: Vec::new(),
        cur: Vec::new(),
        begin_range: 0,
        in_range: 0,
        end_range: 0,
        allow_missing_keys,
    };
    let results = engine
        .find_results(Item::Json(value), &nodes)
        .map_err(|error| {
            format!(
                "error: error executing jsonpath {}: Error executing template: {error}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
                go_quote(template),
                go_sharp_v(value)
            )
        })?;
    let mut out = String::new();
    for group in &results {
        for (index, item) in group.iter().enumerate() {
            out.push_str(&item.text());
            if index + 1 != group.len() {
                out.push(' ');
            }
        }
    }
    Ok(out)
}

/// `JSONPath.Parse`: the parser's own error for a template that does not parse
/// (`unclosed array expect ]`), as `kubectl wait --for=jsonpath=` reports it.
pub fn check(template: &str) -> Result<(), String> {
    parse(template).map(|_| ())
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    List(Vec<Node>),
    Text(String),
    Field(String),
    Array([Param; 3]),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        operator: String,
    },
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Identifier(String),
}

const EOF: Option<char> = None;

/// client-go's `Parser`, over characters.
struct Parser {
    input: Vec<char>,
    pos: usize,
    start: usize,
    width: usize,
}

fn parse(text: &str) -> Result<Vec<Node>, String> {
    let mut parser = Parser {
        input: text.chars().collect(),
        pos: 0,
        start: 0,
        width: 0,
    };
    parser.parse_text()
}

/// `parseAction`: parses `{text}` and returns the action's nodes.
fn parse_action(text: &str) -> Result<Vec<Node>, String> {
    let mut nodes = parse(&format!("{{{text}}}"))?;
    match nodes.first_mut() {
        Some(Node::List(list)) => Ok(std::mem::take(list)),
        _ => Ok(Vec::new()),
    }
}

fn is_terminator(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
        ),
    }
}

fn is_alphanumeric(c: Option<char>) -> bool {
    c.is_some_and(|c| c == '_' || c.is_alphabetic() || c.is_numeric())
}

impl Parser {
    fn consume_text(&mut self) -> String {
        let text: String = self.input[self.start..self.pos].iter().collect();
        self.start = self.pos;
        text
    }

    fn next(&mut self) -> Option<char> {
        match self.input.get(self.pos) {
            Some(&c) => {
                self.width = 1;
                self.pos += 1;
                Some(c)
            }
            None => {
                self.width = 0;
                EOF
            }
        }
    }

    fn peek(&mut self) -> Option<char> {
        let c = self.next();
        self.backup();
        c
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    fn has_prefix(&self, prefix: &str) -> bool {
        let wanted: Vec<char> = prefix.chars().collect();
        self.input[self.pos..].starts_with(&wanted)
    }

    /// `parseText` and `parseLeftDelim`: text between actions, each action a list.
    fn parse_text(&mut self) -> Result<Vec<Node>, String> {
        let mut root = Vec::new();
        loop {
            if self.has_prefix("{") {
                if self.pos > self.start {
                    root.push(Node::Text(self.consume_text()));
                }
                self.pos += 1;
                self.consume_text();
                let mut action = Vec::new();
                self.parse_inside_action(&mut action)?;
                root.push(Node::List(action));
                continue;
            }
            if self.next() == EOF {
                break;
            }
        }
        if self.pos > self.start {
            root.push(Node::Text(self.consume_text()));
        }
        Ok(root)
    }

    fn parse_inside_action(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            if self.has_prefix("}") {
                self.pos += 1;
                self.consume_text();
                return Ok(());
            }
            if self.has_prefix("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if self.has_prefix("..") {
                self.parse_recursive(cur)?;
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return Err("unclosed action".into()),
                Some(' ' | '@' | '$') => {
                    self.consume_text();
                }
                Some('[') => self.parse_array(cur)?,
                Some(quote @ ('"' | '\'')) => self.parse_quote(cur, quote)?,
                Some('.') => self.parse_field(cur),
                Some(c) if c == '+' || c == '-' || c.is_numeric() => {
                    self.backup();
                    self.parse_number(cur)?;
                }
                c if is_alphanumeric(c) => {
                    self.backup();
                    self.parse_identifier(cur);
                }
                Some(c) => {
                    return Err(format!(
                        "unrecognized character in action: U+{:04X} '{c}'",
                        c as u32
                    ));
                }
            }
        }
    }

    fn parse_identifier(&mut self, cur: &mut Vec<Node>) {
        loop {
            let c = self.next();
            if is_terminator(c) {
                self.backup();
                break;
            }
        }
        let value = self.consume_text();
        cur.push(match value.as_str() {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => Node::Identifier(value),
        });
    }

    fn parse_recursive(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if cur.last() == Some(&Node::Recursive) {
            return Err("invalid multiple recursive descent".into());
        }
        self.pos += 2;
        self.consume_text();
        cur.push(Node::Recursive);
        if is_alphanumeric(self.peek()) {
            self.parse_field(cur);
        }
        Ok(())
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            let c = self.next();
            if !c.is_some_and(|c| c == '.' || c.is_numeric()) {
                self.backup();
                break;
            }
        }
        let value = self.consume_text();
        if let Ok(int) = value.parse::<i64>() {
            cur.push(Node::Int(int));
        } else if let Ok(float) = value.parse::<f64>() {
            cur.push(Node::Float(float));
        } else {
            return Err(format!("cannot parse number {value}"));
        }
        Ok(())
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                Some(_) => {}
            }
        }
        let text = self.consume_text();
        let inner: String = {
            let chars: Vec<char> = text.chars().collect();
            chars[1..chars.len() - 1].iter().collect()
        };
        let inner = if inner == "*" { ":".to_string() } else { inner };
        let parts: Vec<&str> = inner.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for part in parts {
                union.push(parse_action(&format!("[{}]", part.trim_matches(' ')))?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        // dictKeyRex `^'([^']*)'$`: a quoted key is a field.
        if let Some(key) = inner
            .strip_prefix('\'')
            .and_then(|rest| rest.strip_suffix('\''))
            .filter(|key| !key.contains('\'') && inner.len() >= 2)
        {
            cur.extend(parse_action(&format!(".{key}"))?);
            return Ok(());
        }
        let Some(values) = slice_operator(&inner) else {
            return Err(format!("invalid array index {inner}"));
        };
        let mut params = [Param::default(); 3];
        for i in 0..3 {
            let value = values[i];
            if !value.is_empty() {
                let value = if i > 0 { &value[1..] } else { value };
                if i > 0 && value.is_empty() {
                    params[i].known = false;
                } else {
                    params[i].known = true;
                    params[i].value = value
                        .parse()
                        .map_err(|_| format!("array index {value} is not a number"))?;
                }
            } else if i == 1 {
                params[i].known = true;
                params[i].value = params[0].value.saturating_add(1);
                params[i].derived = true;
            }
        }
        cur.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume_text();
        let mut begin = false;
        let mut end = false;
        let mut pair = '\0';
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated filter".into()),
                Some(quote @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = quote;
                        continue;
                    }
                    if self.input[self.pos - 2] != '\\' && quote == pair {
                        end = true;
                    }
                }
                Some(')') => {
                    if begin == end {
                        break;
                    }
                }
                Some(_) => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let text = self.consume_text();
        let chars: Vec<char> = text.chars().collect();
        let text: String = chars[..chars.len() - 2].iter().collect();
        match split_filter(&text) {
            None => cur.push(Node::Filter {
                left: parse_action(&text)?,
                right: Vec::new(),
                operator: "exists".into(),
            }),
            Some((left, operator, right)) => cur.push(Node::Filter {
                left: parse_action(left)?,
                right: parse_action(right)?,
                operator: operator.into(),
            }),
        }
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some(c) if c == end && self.input[self.pos - 2] != '\\' => break,
                Some(_) => {}
            }
        }
        let value = self.consume_text();
        let text = unquote_extend(&value)
            .map_err(|error| format!("unquote string {value} error {error}"))?;
        cur.push(Node::Text(text));
        Ok(())
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume_text();
        while self.advance() {}
        let value = self.consume_text();
        if value == "*" {
            cur.push(Node::Wildcard);
        } else {
            cur.push(Node::Field(value.replace('\\', "")));
        }
    }

    fn advance(&mut self) -> bool {
        let c = self.next();
        if c == Some('\\') {
            self.next();
        } else if is_terminator(c) {
            self.backup();
            return false;
        }
        true
    }
}

/// sliceOperatorRex `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$`: the three groups, empty when absent.
fn slice_operator(text: &str) -> Option<[&str; 3]> {
    fn signed_digits(text: &str) -> usize {
        let sign = usize::from(text.starts_with('-'));
        sign + text[sign..].bytes().take_while(u8::is_ascii_digit).count()
    }
    let mut groups = [""; 3];
    let first = signed_digits(text);
    groups[0] = &text[..first];
    let mut rest = &text[first..];
    for group in groups.iter_mut().skip(1) {
        if let Some(after) = rest.strip_prefix(':') {
            let length = 1 + signed_digits(after);
            *group = &rest[..length];
            rest = &rest[length..];
        }
    }
    rest.is_empty().then_some(groups)
}

/// The filter regex `^([^!<>=]+)([!<>=]+)(.+?)$`: left side, operator, right side.
fn split_filter(text: &str) -> Option<(&str, &str, &str)> {
    let is_operator = |c: char| "!<>=".contains(c);
    let start = text.find(is_operator).filter(|start| *start > 0)?;
    let run = text[start..]
        .find(|c: char| !is_operator(c))
        .map_or(text.len(), |length| start + length);
    // The right side needs at least one character; the operator run gives one back if needed.
    let end = if run == text.len() {
        (run - start >= 2).then_some(run - 1)?
    } else {
        run
    };
    let right = &text[end..];
    (!right.is_empty() && !right.contains('\n')).then_some((
        &text[..start],
        &text[start..end],
        right,
    ))
}

/// `UnquoteExtend`: `strconv.Unquote` that also takes single-quoted strings.
fn unquote_extend(text: &str) -> Result<String, String> {
    const SYNTAX: &str = "invalid syntax";
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 2 {
        return Err(SYNTAX.into());
    }
    let quote = chars[0];
    if quote != chars[chars.len() - 1] || (quote != '"' && quote != '\'') {
        return Err(SYNTAX.into());
    }
    let inner = &chars[1..chars.len() - 1];
    let mut out = String::new();
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        i += 1;
        if c == quote {
            return Err(SYNTAX.into());
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&escape) = inner.get(i) else {
            return Err(SYNTAX.into());
        };
        i += 1;
        let simple = match escape {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' => Some('\\'),
            '\'' | '"' if escape == quote => Some(escape),
            _ => None,
        };
        if let Some(simple) = simple {
            out.push(simple);
            continue;
        }
        let (digits, radix) = match escape {
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            '0'..='7' => (3, 8),
            _ => return Err(SYNTAX.into()),
        };
        let start = if radix == 8 { i - 1 } else { i };
        let code: String = inner
            .get(start..start + digits)
            .ok_or(SYNTAX)?
            .iter()
            .collect();
        if !code.chars().all(|c| c.is_digit(radix)) {
            return Err(SYNTAX.into());
        }
        let value = u32::from_str_radix(&code, radix).map_err(|_| SYNTAX.to_string())?;
        i = start + digits;
        match escape {
            'x' | '0'..='7' if value > 0xff => return Err(SYNTAX.into()),
            'x' | '0'..='7' => out.push(char::from_u32(value).ok_or(SYNTAX)?),
            _ => out.push(char::from_u32(value).ok_or(SYNTAX)?),
        }
    }
    Ok(out)
}

/// A value the engine handles: part of the object, or a literal of the template.
#[derive(Debug, Clone)]
enum Item<'a> {
    Json(&'a Value),
    Text(String),
    Int(i64),
    Float(f64),
}

impl Item<'_> {
    /// `template.Indirect`: a JSON null is a nil interface.
    fn is_nil(&self) -> bool {
        matches!(self, Item::Json(Value::Null))
    }

    /// The Go type's name, as error messages show it.
    fn type_name(&self) -> &'static str {
        match self {
            Item::Json(Value::Object(_)) => "map[string]interface {}",
            Item::Json(Value::Array(_)) => "[]interface {}",
            Item::Json(Value::String(_)) | Item::Text(_) => "string",
            Item::Json(Value::Bool(_)) => "bool",
            Item::Json(Value::Number(number)) => match GoNumber::of(number) {
                GoNumber::Int(_) => "int64",
                GoNumber::Uint(_) => "uint64",
                GoNumber::Float(_) => "float64",
            },
            Item::Json(Value::Null) => "interface {}",
            Item::Int(_) => "int",
            Item::Float(_) => "float64",
        }
    }

    /// `PrintResults`: maps and lists as compact JSON, the rest as `fmt.Fprint` writes them.
    fn text(&self) -> String {
        match self {
            Item::Json(value @ (Value::Object(_) | Value::Array(_))) => to_compact_json(value),
            Item::Json(Value::String(text)) => text.clone(),
            Item::Json(Value::Bool(flag)) => flag.to_string(),
            Item::Json(Value::Number(number)) => GoNumber::of(number).to_text(),
            Item::Json(Value::Null) => "<nil>".into(),
            Item::Text(text) => text.clone(),
            Item::Int(int) => int.to_string(),
            Item::Float(float) => format_float_g(*float),
        }
    }
}

impl<'a> Item<'a> {
    /// `iterHelper`: the elements of a list, or a map's values in key order.
    fn children(&self) -> Option<Vec<Item<'a>>> {
        let Item::Json(value) = self else {
            return None;
        };
        let value: &'a Value = value;
        match value {
            Value::Array(items) => Some(items.iter().map(Item::Json).collect()),
            Value::Object(map) => Some(map.values().map(Item::Json).collect()),
            _ => None,
        }
    }
}

struct Engine<'a> {
    stack: Vec<Vec<Item<'a>>>,
    cur: Vec<Item<'a>>,
    begin_range: usize,
    in_range: usize,
    end_range: usize,
    allow_missing_keys: bool,
}

impl<'a> Engine<'a> {
    fn find_results(
        &mut self,
        data: Item<'a>,
        nodes: &[Node],
    ) -> Result<Vec<Vec<Item<'a>>>, String> {
        self.cur = vec![data];
        let mut full = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            let results = self.walk(self.cur.clone(), node)?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                let count = results.len();
                for (k, value) in results.into_iter().enumerate() {
                    if k + 1 == count {
                        self.in_range -= 1;
                    }
                    full.extend(self.find_results(value, &nodes[i + 1..])?);
                }
                break;
            }
            full.push(results);
        }
        Ok(full)
    }

    fn walk(&mut self, input: Vec<Item<'a>>, node: &Node) -> Result<Vec<Item<'a>>, String> {
        match node {
            Node::List(nodes) => self.eval_list(input, nodes),
            Node::Text(text) => Ok(vec![Item::Text(text.clone())]),
            Node::Field(name) => self.eval_field(input, name),
            Node::Array(params) => eval_array(input, *params),
            Node::Filter {
                left,
                right,
                operator,
            } => self.eval_filter(input, left, right, operator),
            Node::Int(int) => Ok(vec![Item::Int(*int); input.len()]),
            Node::Float(float) => Ok(vec![Item::Float(*float); input.len()]),
            Node::Wildcard => Ok(eval_wildcard(&input)),
            Node::Recursive => Ok(eval_recursive(&input)),
            Node::Union(lists) => {
                let mut result = Vec::new();
                for list in lists {
                    result.extend(self.eval_list(input.clone(), list)?);
                }
                Ok(result)
            }
            Node::Identifier(name) => self.eval_identifier(input, name),
            // walk has no case for booleans.
            Node::Bool(flag) => Err(format!("unexpected Node NodeBool: {flag}")),
        }
    }

    fn eval_list(&mut self, input: Vec<Item<'a>>, nodes: &[Node]) -> Result<Vec<Item<'a>>, String> {
        let mut current = input;
        for node in nodes {
            current = self.walk(current, node)?;
        }
        Ok(current)
    }

    fn eval_identifier(
        &mut self,
        input: Vec<Item<'a>>,
        name: &str,
    ) -> Result<Vec<Item<'a>>, String> {
        match name {
            "range" => {
                self.stack.push(self.cur.clone());
                self.begin_range += 1;
                Ok(input)
            }
            "end" => {
                if self.end_range < self.in_range {
                    self.end_range += 1;
                } else {
                    match self.stack.pop() {
                        Some(cur) => self.cur = cur,
                        None => return Err("not in range, nothing to end".into()),
                    }
                }
                Ok(Vec::new())
            }
            _ => Err(format!("unrecognized identifier {name}")),
        }
    }

    fn eval_field(&self, input: Vec<Item<'a>>, name: &str) -> Result<Vec<Item<'a>>, String> {
        if input.is_empty() {
            return Ok(Vec::new());
        }
        let results: Vec<Item<'a>> = input
            .iter()
            .filter_map(|item| match item {
                Item::Json(Value::Object(map)) => map.get(name).map(Item::Json),
                _ => None,
            })
            .collect();
        if results.is_empty() && !self.allow_missing_keys {
            return Err(format!("{name} is not found"));
        }
        Ok(results)
    }

    fn eval_filter(
        &mut self,
        input: Vec<Item<'a>>,
        left: &[Node],
        right: &[Node],
        operator: &str,
    ) -> Result<Vec<Item<'a>>, String> {
        let mut results = Vec::new();
        for value in &input {
            let candidates = value.children().unwrap_or_else(|| vec![value.clone()]);
            for candidate in candidates {
                let lefts = match self.eval_list(vec![candidate.clone()], left) {
                    Ok(lefts) => lefts,
                    Err(error) if !self.allow_missing_keys => return Err(error),
                    Err(_) => Vec::new(),
                };
                let rights = self.eval_list(vec![candidate.clone()], right)?;
                match (lefts.as_slice(), rights.as_slice()) {
                    ([], _) => continue,
                    ([_, _, ..], _) => return Err("can only compare one element at a time".into()),
                    _ if operator == "exists" => {
                        results.push(candidate);
                        continue;
                    }
                    (_, []) => continue,
                    (_, [_, _, ..]) => {
                        return Err("can only compare one element at a time".into());
                    }
                    ([l], [r]) => {
                        if eval_operator(operator, l, r)? {
                            results.push(candidate);
                        }
                    }
                }
            }
        }
        Ok(results)
    }
}

fn eval_array<'a>(input: Vec<Item<'a>>, node_params: [Param; 3]) -> Result<Vec<Item<'a>>, String> {
    let mut result = Vec::new();
    for value in &input {
        if value.is_nil() {
            continue;
        }
        let Item::Json(Value::Array(items)) = value else {
            return Err(format!("{} is not array or slice", value.type_name()));
        };
        let mut params = node_params;
        let length = items.len() as i64;
        if !params[0].known {
            params[0].value = 0;
        }
        if params[0].value < 0 {
            params[0].value = params[0].value.saturating_add(length);
        }
        if !params[1].known {
            params[1].value = length;
        }
        if params[1].value < 0 || (params[1].value == 0 && params[1].derived) {
            params[1].value = params[1].value.saturating_add(length);
        }
        let (from, to) = (params[0].value, params[1].value);
        if to == from {
            return Ok(result);
        }
        if from >= length || from < 0 {
            return Err(format!(
                "array index out of bounds: index {from}, length {length}"
            ));
        }
        if to > length || to < 0 {
            return Err(format!(
                "array index out of bounds: index {}, length {length}",
                to.saturating_sub(1)
            ));
        }
        if from > to {
            return Err(format!(
                "starting index {from} is greater than ending index {to}"
            ));
        }
        let step = if params[2].known {
            if params[2].value <= 0 {
                return Err("step must be > 0".into());
            }
            params[2].value as usize
        } else {
            1
        };
        result.extend(
            items[from as usize..to as usize]
                .iter()
                .step_by(step)
                .map(Item::Json),
        );
    }
    Ok(result)
}

fn eval_wildcard<'a>(input: &[Item<'a>]) -> Vec<Item<'a>> {
    input.iter().filter_map(Item::children).flatten().collect()
}

fn eval_recursive<'a>(input: &[Item<'a>]) -> Vec<Item<'a>> {
    let mut result = Vec::new();
    for item in input {
        let children = eval_wildcard(std::slice::from_ref(item));
        if !children.is_empty() {
            result.push(item.clone());
            result.extend(eval_recursive(&children));
        }
    }
    result
}

/// A value as the forked `text/template` comparison functions see it (`basicKind`).
#[derive(Debug, Clone, PartialEq)]
enum Basic {
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    String(String),
}

const INVALID_TYPE: &str = "invalid type for comparison";
const INCOMPATIBLE: &str = "incompatible types for comparison";

fn basic(item: &Item) -> Result<Basic, &'static str> {
    match item {
        Item::Json(Value::Bool(flag)) => Ok(Basic::Bool(*flag)),
        Item::Json(Value::Number(number)) => Ok(match GoNumber::of(number) {
            GoNumber::Int(int) => Basic::Int(int),
            GoNumber::Uint(uint) => Basic::Uint(uint),
            GoNumber::Float(float) => Basic::Float(float),
        }),
        Item::Json(Value::String(text)) | Item::Text(text) => Ok(Basic::String(text.clone())),
        // evalOperator turns Go ints (the template's literals) into float64.
        Item::Int(int) => Ok(Basic::Float(*int as f64)),
        Item::Float(float) => Ok(Basic::Float(*float)),
        Item::Json(_) => Err(INVALID_TYPE),
    }
}

fn template_eq(left: &Basic, right: &Basic) -> Result<bool, &'static str> {
    Ok(match (left, right) {
        (Basic::Bool(a), Basic::Bool(b)) => a == b,
        (Basic::Int(a), Basic::Int(b)) => a == b,
        (Basic::Uint(a), Basic::Uint(b)) => a == b,
        (Basic::Float(a), Basic::Float(b)) => a == b,
        (Basic::String(a), Basic::String(b)) => a == b,
        (Basic::Int(a), Basic::Uint(b)) => *a >= 0 && *a as u64 == *b,
        (Basic::Uint(a), Basic::Int(b)) => *b >= 0 && *a == *b as u64,
        _ => return Err(INCOMPATIBLE),
    })
}

fn template_lt(left: &Basic, right: &Basic) -> Result<bool, &'static str> {
    Ok(match (left, right) {
        (Basic::Int(a), Basic::Int(b)) => a < b,
        (Basic::Uint(a), Basic::Uint(b)) => a < b,
        (Basic::Float(a), Basic::Float(b)) => a < b,
        (Basic::String(a), Basic::String(b)) => a < b,
        (Basic::Int(a), Basic::Uint(b)) => *a < 0 || (*a as u64) < *b,
        (Basic::Uint(a), Basic::Int(b)) => *b >= 0 && *a < *b as u64,
        (Basic::Bool(_), Basic::Bool(_)) => return Err(INVALID_TYPE),
        _ => return Err(INCOMPATIBLE),
    })
}

/// `evalOperator`: comparisons of kinds that cannot be compared are simply false.
fn eval_operator(operator: &str, left: &Item, right: &Item) -> Result<bool, String> {
    let compared = (|| -> Result<bool, &'static str> {
        let (left, right) = (basic(left)?, basic(right)?);
        let less_equal = |l: &Basic, r: &Basic| -> Result<bool, &'static str> {
            if template_lt(l, r)? {
                return Ok(true);
            }
            template_eq(l, r)
        };
        match operator {
            "<" => template_lt(&left, &right),
            ">" => less_equal(&left, &right).map(|le| !le),
            "==" => template_eq(&left, &right),
            "!=" => template_eq(&left, &right).map(|eq| !eq),
            "<=" => less_equal(&left, &right),
            ">=" => template_lt(&left, &right).map(|lt| !lt),
            _ => Err("unrecognized"),
        }
    })();
    match compared {
        Ok(pass) => Ok(pass),
        Err("unrecognized") => Err(format!("unrecognized filter operator {operator}")),
        Err(_) => Ok(false),
    }
}

/// `%#v` of the unstructured object, as the error message dumps it.
fn go_sharp_v(value: &Value) -> String {
    match value {
        Value::Null => "interface {}(nil)".into(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => GoNumber::of(number).to_text(),
        Value::String(text) => go_quote(text),
        Value::Array(items) => format!(
            "[]interface {{}}{{{}}}",
            items.iter().map(go_sharp_v).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "map[string]interface {{}}{{{}}}",
            map.iter()
                .map(|(key, item)| format!("{}:{}", go_quote(key), go_sharp_v(item)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn list() -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "List",
            "items": [
                {"metadata": {"name": "web-1", "labels": {"app": "web"}},
                 "spec": {"containers": [{"image": "nginx:1.27", "name": "nginx"}], "priority": 0},
                 "status": {"conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "False"}],
                            "containerStatuses": [{"restartCount": 2}]}},
                {"metadata": {"name": "web-2", "labels": {"app": "web", "tier": "<front>"}},
                 "spec": {"containers": [{"image": "nginx:1.27", "name": "nginx"}, {"image": "busybox", "name": "log"}]},
                 "status": {"conditions": [{"type": "Ready", "status": "True"}], "containerStatuses": [{"restartCount": 0}]}}
            ],
            "metadata": {"resourceVersion": ""}
        })
    }

    fn run(template: &str) -> String {
        match jsonpath(template, &list()) {
            Ok(out) => out,
            Err(error) => format!("ERR {error}"),
        }
    }

    #[test]
    fn selects_like_kubectl() {
        assert_eq!(run("{.items[*].metadata.name}"), "web-1 web-2");
        assert_eq!(run("{.items[0].metadata.name}"), "web-1");
        assert_eq!(run("{.items[-1].metadata.name}"), "web-2");
        assert_eq!(run("{.items[1:].metadata.name}"), "web-2");
        assert_eq!(run("{.items[0:2:2].metadata.name}"), "web-1");
        assert_eq!(
            run("{.items[*].spec.containers[*].image}"),
            "nginx:1.27 nginx:1.27 busybox"
        );
        assert_eq!(
            run(
                "{range .items[*]}{.metadata.name}{\"\\t\"}{.status.containerStatuses[0].restartCount}{\"\\n\"}{end}"
            ),
            "web-1\t2\nweb-2\t0\n"
        );
        assert_eq!(
            run("names: {.items[*].metadata.name}!"),
            "names: web-1 web-2!"
        );
        assert_eq!(
            run("{.items[1].metadata.labels}"),
            r#"{"app":"web","tier":"\u003cfront\u003e"}"#
        );
        assert_eq!(
            run("{.items[0].spec}"),
            r#"{"containers":[{"image":"nginx:1.27","name":"nginx"}],"priority":0}"#
        );
        assert_eq!(run("{.metadata.resourceVersion}"), "");
        assert_eq!(run("{.kind}{.nothing}{.apiVersion}"), "Listv1");
        assert_eq!(run("{.items[*].metadata.labels.tier}"), "<front>");
        assert_eq!(run("{.items[0].metadata['name']}"), "web-1");
        assert_eq!(run("{.items[0,1].metadata.name}"), "web-1 web-2");
        assert_eq!(run("{..image}"), "nginx:1.27 nginx:1.27 busybox");
        assert_eq!(run("{.items[*].spec.priority}"), "0");
    }

    #[test]
    fn filters_like_kubectl() {
        assert_eq!(
            run("{.items[*].status.conditions[?(@.type==\"Ready\")].status}"),
            "False True"
        );
        assert_eq!(
            run("{.items[?(@.metadata.labels.tier)].metadata.name}"),
            "web-2"
        );
        assert_eq!(
            run("{.items[?(@.metadata.name!='web-1')].metadata.name}"),
            "web-2"
        );
        // The object's integers are int64 and the literal a float64: they never compare.
        assert_eq!(
            run("{.items[?(@.status.containerStatuses[0].restartCount>0)].metadata.name}"),
            ""
        );
    }

    #[test]
    fn range_over_nothing_skips_the_rest() {
        assert_eq!(
            run("{range .items[?(@.kind)]}{.metadata.name}{end}after"),
            ""
        );
        assert_eq!(
            run("{range .items[*]}[{.metadata.name}]{end}after"),
            "[web-1][web-2]after"
        );
    }

    #[test]
    fn reports_errors_as_kubectl_does() {
        assert_eq!(
            run("{.items[0].metadata.name"),
            "ERR error: error parsing jsonpath {.items[0].metadata.name, unclosed action\n"
        );
        let object = json!({"kind": "Pod", "spec": {"n": 1, "ok": true, "x": null, "l": ["a"]}});
        assert_eq!(
            jsonpath_with("{.spec.missing}", &object, false),
            Err("error: error executing jsonpath \"{.spec.missing}\": Error executing template: missing is not found. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.spec.missing}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"kind\":\"Pod\", \"spec\":map[string]interface {}{\"l\":[]interface {}{\"a\"}, \"n\":1, \"ok\":true, \"x\":interface {}(nil)}}\n\n\n".to_string())
        );
        assert_eq!(jsonpath("{.spec.missing}", &object), Ok(String::new()));
        assert_eq!(jsonpath("{.spec.x}", &object), Ok("<nil>".into()));
        assert!(
            jsonpath("{.spec.l[3]}", &object).unwrap_err().contains(
                "Error executing template: array index out of bounds: index 3, length 1. "
            )
        );
        assert!(
            jsonpath("{.spec.n[0]}", &object)
                .unwrap_err()
                .contains("Error executing template: int64 is not array or slice. ")
        );
    }
}
