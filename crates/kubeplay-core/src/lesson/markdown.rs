//! A lesson's prose: CommonMark (read by pulldown-cmark) into a small document model that the page
//! renders as elements and the CLI prints as text. Nothing in a lesson becomes raw HTML: a lesson
//! loaded from a docs site cannot put script into the page. Code marked `{{run}}` runs in the
//! terminal when clicked and `{{copy}}` copies, as in Killercoda's `{{exec}}` and `{{copy}}`.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// What clicking a piece of code does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeAction {
    /// Runs the code's command lines in the terminal.
    Run,
    /// Copies the code to the clipboard.
    Copy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code {
        text: String,
        action: Option<CodeAction>,
    },
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    /// Only `http:`, `https:`, `mailto:` and relative links are kept as links.
    Link {
        href: String,
        children: Vec<Inline>,
    },
    LineBreak,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading {
        level: u8,
        children: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    Code {
        language: String,
        text: String,
        action: Option<CodeAction>,
    },
    List {
        /// The first item's number for an ordered list.
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Rule,
}

/// A heading written `## Title {#id}`: where a step's prose starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: String,
    /// Byte offset of the heading in the text.
    pub offset: usize,
}

/// The prose, split at the headings that carry an id: what comes before the first, then each
/// anchored heading's section (without the heading itself).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sections {
    pub before: Vec<Block>,
    pub anchored: Vec<(Anchor, Vec<Block>)>,
}

const MARKERS: [(&str, CodeAction); 3] = [
    ("{{run}}", CodeAction::Run),
    // Killercoda's spelling, so lessons written for it keep working.
    ("{{exec}}", CodeAction::Run),
    ("{{copy}}", CodeAction::Copy),
];

/// Reads `text` as CommonMark with heading ids (`{#id}`) and strikethrough.
pub fn parse(text: &str) -> Sections {
    let parser = Parser::new_ext(
        text,
        Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut builder = Builder::default();
    for (event, range) in parser.into_offset_iter() {
        builder.event(event, range.start);
    }
    builder.finish()
}

/// The plain text of some inlines, as a terminal shows them.
pub fn plain(inlines: &[Inline]) -> String {
    let mut text = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(part) => text.push_str(part),
            Inline::Code { text: code, .. } => {
                text.push('`');
                text.push_str(code);
                text.push('`');
            }
            Inline::Emphasis(children) | Inline::Strong(children) => {
                text.push_str(&plain(children))
            }
            Inline::Link { href, children } => {
                text.push_str(&plain(children));
                text.push_str(&format!(" ({href})"));
            }
            Inline::LineBreak => text.push('\n'),
        }
    }
    text
}

/// Blocks as plain text lines (for `kubeplay lesson export`'s comments).
pub fn plain_lines(blocks: &[Block]) -> Vec<String> {
    let mut lines = Vec::new();
    for block in blocks {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        match block {
            Block::Heading { children, .. } | Block::Paragraph(children) => {
                lines.extend(plain(children).lines().map(str::to_string));
            }
            Block::Code { text, .. } => {
                lines.extend(text.lines().map(|line| format!("    {line}")));
            }
            Block::List { start, items } => {
                for (index, item) in items.iter().enumerate() {
                    let bullet = start.map_or("-".to_string(), |start| {
                        format!("{}.", start.saturating_add(index as u64))
                    });
                    for (at, line) in plain_lines(item)
                        .into_iter()
                        .filter(|line| !line.is_empty())
                        .enumerate()
                    {
                        lines.push(if at == 0 {
                            format!("{bullet} {line}")
                        } else {
                            format!("  {line}")
                        });
                    }
                }
            }
            Block::Quote(children) => {
                lines.extend(
                    plain_lines(children)
                        .into_iter()
                        .map(|line| format!("> {line}")),
                );
            }
            Block::Rule => lines.push("---".into()),
        }
    }
    lines
}

/// A container being filled: blocks hold blocks, inline containers hold inlines.
enum Open {
    Blocks(Vec<Block>),
    Item(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Inlines {
        kind: InlineKind,
        children: Vec<Inline>,
    },
    Code {
        language: String,
        action: Option<CodeAction>,
        text: String,
    },
}

enum InlineKind {
    Paragraph,
    Heading {
        level: u8,
        id: Option<String>,
        offset: usize,
    },
    Emphasis,
    Strong,
    Link(Option<String>),
    /// Text kept, formatting dropped (strikethrough, an image's alt text, a table cell).
    Plain,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    sections: Sections,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, offset: usize) {
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(end) => self.end(end),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.inline(Inline::Code {
                text: code.to_string(),
                action: None,
            }),
            // Raw HTML is shown as the text it is, never rendered.
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.inline(Inline::LineBreak),
            Event::Rule => self.block(Block::Rule),
            Event::FootnoteReference(name) => self.text(&format!("[{name}]")),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.text(&math),
        }
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) {
        let open = match tag {
            Tag::Paragraph => Open::Inlines {
                kind: InlineKind::Paragraph,
                children: Vec::new(),
            },
            Tag::Heading { level, id, .. } => Open::Inlines {
                kind: InlineKind::Heading {
                    level: heading_level(level),
                    id: id.map(|id| id.to_string()),
                    offset,
                },
                children: Vec::new(),
            },
            Tag::BlockQuote(_) => Open::Quote(Vec::new()),
            Tag::CodeBlock(kind) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let (language, action) = strip_marker(info.trim());
                Open::Code {
                    language: language.trim().to_string(),
                    action,
                    text: String::new(),
                }
            }
            Tag::List(start) => Open::List {
                start,
                items: Vec::new(),
            },
            Tag::Item => Open::Item(Vec::new()),
            Tag::Emphasis => Open::Inlines {
                kind: InlineKind::Emphasis,
                children: Vec::new(),
            },
            Tag::Strong => Open::Inlines {
                kind: InlineKind::Strong,
                children: Vec::new(),
            },
            Tag::Link { dest_url, .. } => Open::Inlines {
                kind: InlineKind::Link(safe_href(&dest_url)),
                children: Vec::new(),
            },
            Tag::Strikethrough
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
            | Tag::TableCell => Open::Inlines {
                kind: InlineKind::Plain,
                children: Vec::new(),
            },
            Tag::HtmlBlock
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => Open::Blocks(Vec::new()),
        };
        self.stack.push(open);
    }

    fn end(&mut self, _end: TagEnd) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        match open {
            Open::Blocks(blocks) => {
                for block in blocks {
                    self.block(block);
                }
            }
            Open::Item(blocks) => match self.stack.last_mut() {
                Some(Open::List { items, .. }) => items.push(blocks),
                _ => {
                    for block in blocks {
                        self.block(block);
                    }
                }
            },
            Open::List { start, items } => self.block(Block::List { start, items }),
            Open::Quote(blocks) => self.block(Block::Quote(blocks)),
            Open::Code {
                language,
                action,
                text,
            } => self.block(Block::Code {
                language,
                text: text.trim_end_matches('\n').to_string(),
                action,
            }),
            Open::Inlines { kind, children } => {
                let children = mark_actions(children);
                match kind {
                    InlineKind::Paragraph => self.block(Block::Paragraph(children)),
                    InlineKind::Heading { level, id, offset } => match id {
                        Some(id) => self.anchor(Anchor { id, offset }),
                        None => self.block(Block::Heading { level, children }),
                    },
                    InlineKind::Emphasis => self.inline(Inline::Emphasis(children)),
                    InlineKind::Strong => self.inline(Inline::Strong(children)),
                    InlineKind::Link(Some(href)) => self.inline(Inline::Link { href, children }),
                    InlineKind::Link(None) | InlineKind::Plain => {
                        for child in children {
                            self.inline(child);
                        }
                    }
                }
            }
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(Open::Code { text: code, .. }) = self.stack.last_mut() {
            code.push_str(text);
            return;
        }
        self.inline(Inline::Text(text.to_string()));
    }

    fn inline(&mut self, inline: Inline) {
        match self.stack.last_mut() {
            Some(Open::Inlines { children, .. }) => {
                if let (Some(Inline::Text(last)), Inline::Text(more)) =
                    (children.last_mut(), &inline)
                {
                    last.push_str(more);
                } else {
                    children.push(inline);
                }
            }
            Some(Open::Code { text, .. }) => text.push_str(&plain(&[inline])),
            // Inline content outside a paragraph (a tight list item's text) gets a paragraph.
            _ => {
                self.stack.push(Open::Inlines {
                    kind: InlineKind::Paragraph,
                    children: vec![inline],
                });
                self.end(TagEnd::Paragraph);
            }
        }
    }

    fn block(&mut self, block: Block) {
        // A tight list item's consecutive texts join one paragraph.
        if let (Some(Open::Item(blocks)), Block::Paragraph(more)) = (self.stack.last_mut(), &block)
            && let Some(Block::Paragraph(last)) = blocks.last_mut()
        {
            last.extend(more.iter().cloned());
            return;
        }
        match self.stack.last_mut() {
            Some(Open::Blocks(blocks) | Open::Item(blocks) | Open::Quote(blocks)) => {
                blocks.push(block)
            }
            Some(Open::List { items, .. }) => items.push(vec![block]),
            Some(Open::Inlines { children, .. }) => {
                children.extend(plain_lines(&[block]).into_iter().map(Inline::Text))
            }
            Some(Open::Code { text, .. }) => text.push_str(&plain_lines(&[block]).join("\n")),
            None => match self.sections.anchored.last_mut() {
                Some((_, blocks)) => blocks.push(block),
                None => self.sections.before.push(block),
            },
        }
    }

    fn anchor(&mut self, anchor: Anchor) {
        if self.stack.is_empty() {
            self.sections.anchored.push((anchor, Vec::new()));
        }
    }

    fn finish(mut self) -> Sections {
        while !self.stack.is_empty() {
            self.end(TagEnd::Paragraph);
        }
        self.sections
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `sh {{run}}` → (`sh `, Run).
fn strip_marker(text: &str) -> (&str, Option<CodeAction>) {
    for (marker, action) in MARKERS {
        if let Some(rest) = text.strip_suffix(marker) {
            return (rest, Some(action));
        }
    }
    (text, None)
}

/// A marker written right after inline code applies to it and is not shown.
fn mark_actions(children: Vec<Inline>) -> Vec<Inline> {
    let mut marked: Vec<Inline> = Vec::with_capacity(children.len());
    for child in children {
        if let (Some(Inline::Code { action, .. }), Inline::Text(text)) = (marked.last_mut(), &child)
            && action.is_none()
            && let Some((marker, found)) =
                MARKERS.iter().find(|(marker, _)| text.starts_with(marker))
        {
            *action = Some(*found);
            let rest = &text[marker.len()..];
            if !rest.is_empty() {
                marked.push(Inline::Text(rest.to_string()));
            }
            continue;
        }
        marked.push(child);
    }
    marked
}

fn safe_href(href: &str) -> Option<String> {
    let lower = href.trim().to_ascii_lowercase();
    let scheme = lower.find(':').filter(|colon| {
        lower
            .find(['/', '?', '#'])
            .is_none_or(|first| *colon < first)
    });
    match scheme.map(|colon| &lower[..colon]) {
        None | Some("http" | "https" | "mailto") => Some(href.trim().to_string()),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_marked_to_run_or_copy() {
        let sections = parse(
            "Run `kubectl get ds`{{run}} and copy `node-1`{{copy}}, not `this`.\n\n```sh {{run}}\nkubectl get pods\n```\n",
        );
        let [
            Block::Paragraph(inlines),
            Block::Code {
                language,
                text,
                action,
            },
        ] = sections.before.as_slice()
        else {
            panic!("{sections:?}");
        };
        assert_eq!(
            inlines[1],
            Inline::Code {
                text: "kubectl get ds".into(),
                action: Some(CodeAction::Run)
            }
        );
        assert_eq!(inlines[2], Inline::Text(" and copy ".into()));
        assert!(matches!(
            &inlines[3],
            Inline::Code {
                action: Some(CodeAction::Copy),
                ..
            }
        ));
        assert!(matches!(&inlines[5], Inline::Code { action: None, .. }));
        assert_eq!(language, "sh");
        assert_eq!(text, "kubectl get pods");
        assert_eq!(*action, Some(CodeAction::Run));
    }

    #[test]
    fn headings_with_ids_split_the_sections() {
        let text = "Intro.\n\n## Create it {#create}\n\nFirst.\n\n### Aside\n\nMore.\n\n## Label {#label}\n\n- one\n- two\n";
        let sections = parse(text);
        assert_eq!(sections.before.len(), 1);
        let ids: Vec<&str> = sections
            .anchored
            .iter()
            .map(|(anchor, _)| anchor.id.as_str())
            .collect();
        assert_eq!(ids, ["create", "label"]);
        assert_eq!(&text[sections.anchored[0].0.offset..][..12], "## Create it");
        assert_eq!(sections.anchored[0].1.len(), 3);
        let Block::List { start: None, items } = &sections.anchored[1].1[0] else {
            panic!("{sections:?}");
        };
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn html_and_script_links_stay_text() {
        let sections = parse(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://k8s.io) [z](../other.md)\n",
        );
        let text = format!("{sections:?}");
        assert!(text.contains("Text(\"<script>alert(1)</script>"), "{text}");
        assert!(!text.contains("javascript"), "{text}");
        assert!(text.contains("https://k8s.io"));
        assert!(text.contains("../other.md"));
    }

    #[test]
    fn plain_text_for_the_terminal() {
        let sections = parse("A **bold** `kubectl`{{run}} step.\n\n1. first\n2. second\n");
        assert_eq!(
            plain_lines(&sections.before),
            ["A bold `kubectl` step.", "", "1. first", "2. second"]
        );
    }
}
