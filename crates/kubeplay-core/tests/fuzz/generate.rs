//! Inputs drawn from kubeplay's own vocabulary, weighted towards the edges (empty, huge, negative,
//! malformed, control characters), and mutations of real inputs.

use kubeplay_core::rand::Rng;

pub fn pick<'a>(rng: &mut Rng, choices: &[&'a str]) -> &'a str {
    choices[rng.below(choices.len() as u64) as usize]
}

pub fn chance(rng: &mut Rng, percent: u64) -> bool {
    rng.below(100) < percent
}

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "10",
    "-1",
    "-0",
    "007",
    "1.5",
    "99999",
    "2147483647",
    "2147483648",
    "-2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551616",
    "1e3",
    "1e308",
    "NaN",
    "",
    " ",
    "abc",
    "0x10",
];

const DURATIONS: &[&str] = &[
    "0s",
    "1s",
    "90s",
    "5m",
    "1h30m",
    "7d",
    "1ms",
    "0",
    "30",
    "-1s",
    "abc",
    "",
    "1.5h",
    "99999999999h",
    "9223372036854775807s",
    "2562047h47m16.854775807s",
    "1e9h",
    "h",
    "5x",
    "100000d",
    "8760h",
    "8761h",
];

const QUANTITIES: &[&str] = &[
    "1",
    "100m",
    "4",
    "16Gi",
    "500Mi",
    "1e3",
    "1e-308",
    "1e2147483647",
    "0.001e-2147483648",
    "9223372036854775807",
    "9223372036854775808Ki",
    "-1",
    "0",
    "1.5",
    "1Ei",
    "1E",
    "1k",
    "1K",
    "abc",
    "",
    "1..5",
    "1e",
    "+1",
    "0.000000001",
    "0.0000000001",
    "123456789012345678901234567890",
];

const NAMES: &[&str] = &[
    "agent",
    "pi",
    "hello",
    "node-1",
    "node-2",
    "node-3",
    "control-plane",
    "nope",
    "a",
    "",
    "UPPER",
    "with space",
    "dot.ted",
    "-lead",
    "trail-",
    "a\u{1}b",
    "tab\tname",
    "new\nline",
    "é",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "kube-system",
    "default",
];

const SELECTORS: &[&str] = &[
    "app=agent",
    "app!=agent",
    "app in (agent,x)",
    "app notin (x)",
    "!app",
    "app",
    "a=b,c=d",
    "app=",
    "=x",
    "app==agent",
    "app in (",
    "app in ()",
    "(",
    ",",
    "app=agent,",
    "k8s.io/x=y",
    "a/b/c=d",
    "metadata.name=pi",
    "spec.nodeName=node-1",
    "status.phase!=Running",
    "bad=x=y",
    "",
    " ",
    "\u{0}",
];

const JSONPATHS: &[&str] = &[
    "{.items[*].metadata.name}",
    "{.items[0]}",
    "{.items[",
    "{.items[-1:]}",
    "{.items[::-1]}",
    "{range .items[*]}{.metadata.name}{\"\\n\"}{end}",
    "{range .items[*]}",
    "{end}",
    "{.items[?(@.status.phase==\"Running\")].metadata.name}",
    "{.items[?(@.x>1)]}",
    "{..name}",
    "{.items[9223372036854775807]}",
    "{.items[0:9223372036854775807:9223372036854775807]}",
    "{.status.numberReady}",
    "{.spec.template.spec.containers[0].image}",
    "{",
    "}",
    "{{}}",
    "{.a.b.c.d.e}",
    "{$}",
    "{@}",
    "{.items[*]['metadata.name']}",
    "{.items[*].metadata.labels}",
    "{.items[0].metadata.name}=x",
    "{.status.numberReady}=3",
    "",
];

const SCHEDULES: &[&str] = &[
    "* * * * *",
    "*/15 * * * *",
    "0 2 * * *",
    "@hourly",
    "@daily",
    "@every 1h30m",
    "@every 0s",
    "@every -1s",
    "@every 1ns",
    "0 0 31 2 *",
    "0 0 30 2 *",
    "59 23 31 12 *",
    "0 0 * * SUN-SAT",
    "0 0 1 JAN-DEC *",
    "*/0 * * * *",
    "60 * * * *",
    "* 24 * * *",
    "0-59/59 * * * *",
    "1-0 * * * *",
    "TZ=Europe/Paris 0 9 * * *",
    "CRON_TZ=Nope/Zone * * * * *",
    "TZ= * * * * *",
    "* * * *",
    "* * * * * *",
    "",
    "@yearly",
    "0 0 29 2 *",
    "0 0 L * *",
    "? * * * *",
    "*/2147483647 * * * *",
    "0 0 1 1 MON#1",
];

const ZONES: &[&str] = &[
    "Etc/UTC",
    "Europe/Paris",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Nope/Zone",
    "",
    "UTC",
    "Local",
    "../../etc/passwd",
    "America/St_Johns",
];

pub fn number(rng: &mut Rng) -> String {
    if chance(rng, 20) {
        return rng.below(1000).to_string();
    }
    pick(rng, NUMBERS).to_string()
}

pub fn duration(rng: &mut Rng) -> String {
    if chance(rng, 20) {
        return format!(
            "{}{}",
            rng.below(100_000),
            pick(rng, &["ms", "s", "m", "h", "d"])
        );
    }
    pick(rng, DURATIONS).to_string()
}

pub fn quantity(rng: &mut Rng) -> String {
    pick(rng, QUANTITIES).to_string()
}

pub fn name(rng: &mut Rng) -> String {
    if chance(rng, 10) {
        return format!("{}-{}", pick(rng, &["agent", "pi", "node"]), rng.below(10));
    }
    pick(rng, NAMES).to_string()
}

pub fn selector(rng: &mut Rng) -> String {
    let mut text = pick(rng, SELECTORS).to_string();
    if chance(rng, 20) {
        text.push(',');
        text.push_str(pick(rng, SELECTORS));
    }
    text
}

pub fn jsonpath(rng: &mut Rng) -> String {
    pick(rng, JSONPATHS).to_string()
}

pub fn schedule(rng: &mut Rng) -> String {
    if chance(rng, 30) {
        let field = |rng: &mut Rng| {
            pick(
                rng,
                &[
                    "*", "*/5", "1-5", "1,2,3", "0", "59", "MON", "FEB", "7", "32", "-", "*/", "a",
                ],
            )
            .to_string()
        };
        return (0..5).map(|_| field(rng)).collect::<Vec<_>>().join(" ");
    }
    pick(rng, SCHEDULES).to_string()
}

pub fn zone(rng: &mut Rng) -> String {
    pick(rng, ZONES).to_string()
}

/// A word a shell would keep whole, quoted when it must be.
pub fn quote(word: &str) -> String {
    kubeplay_core::shell::quote(word)
}

/// Byte-level damage to a text: flips, deletions, duplications, truncation.
pub fn damage(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len() as u64) as usize;
        match rng.below(5) {
            0 => bytes[at] = rng.below(256) as u8,
            1 => {
                bytes.remove(at);
            }
            2 => {
                let end = (at + 1 + rng.below(40) as usize).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                bytes.splice(at..at, piece);
            }
            3 => bytes.truncate(at),
            _ => bytes.insert(
                at,
                pick(
                    rng,
                    &["{", "}", "[", "]", ":", "\"", "\n", "-", "&a", "*a", "\0"],
                )
                .as_bytes()[0],
            ),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Replaces the value of one `key: value` line of a YAML text with an edge value.
pub fn mutate_yaml(rng: &mut Rng, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let candidates: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.contains(": ") || line.trim_start().starts_with("- "))
        .map(|(index, _)| index)
        .collect();
    let mut out: Vec<String> = lines.iter().map(|line| line.to_string()).collect();
    if candidates.is_empty() {
        return damage(rng, text);
    }
    for _ in 0..=rng.below(2) {
        let index = candidates[rng.below(candidates.len() as u64) as usize];
        let line = &lines[index];
        match rng.below(6) {
            0 => out[index] = String::new(),
            1 => out.insert(index, line.to_string()),
            _ => {
                if let Some((key, _)) = line.split_once(": ") {
                    let value = match rng.below(5) {
                        0 => number(rng),
                        1 => quantity(rng),
                        2 => name(rng),
                        3 => format!("{:?}", duration(rng)),
                        _ => pick(
                            rng,
                            &["null", "[]", "{}", "~", "true", "\"\"", "[1, 2]", "{a: 1}"],
                        )
                        .to_string(),
                    };
                    out[index] = format!("{key}: {value}");
                }
            }
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    if chance(rng, 15) {
        text = damage(rng, &text);
    }
    text
}
