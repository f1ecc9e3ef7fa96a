//! The built-in lessons: one Markdown file each under `web/lessons/`, in the order a newcomer
//! takes them, compiled in so the page and the CLI have them without a network. `?lesson=NAME`
//! and share links name one by its file name without `.md`.

/// One built-in lesson's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    /// The file name without `.md`: what `?lesson=` names.
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! lesson {
    ($name:literal) => {
        BuiltIn {
            name: $name,
            text: include_str!(concat!("../../../../web/lessons/", $name, ".md")),
        }
    };
}

pub const BUILT_IN: [BuiltIn; 8] = [
    lesson!("daemonset-basics"),
    lesson!("daemonset-some-nodes"),
    lesson!("taints-and-tolerations"),
    lesson!("daemonset-rolling-update"),
    lesson!("daemonset-orphan-adopt"),
    lesson!("jobs"),
    lesson!("job-failures"),
    lesson!("cronjobs"),
];

pub fn built_in(name: &str) -> Option<&'static BuiltIn> {
    BUILT_IN.iter().find(|lesson| lesson.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::Lesson;

    #[test]
    fn every_built_in_lesson_reads_and_starts() {
        for built_in in BUILT_IN {
            let lesson = Lesson::parse(built_in.text)
                .unwrap_or_else(|error| panic!("{}.md: {error}", built_in.name));
            assert!(!lesson.description.is_empty(), "{}", built_in.name);
            assert!(lesson.minutes.is_some(), "{}", built_in.name);
            assert!(
                (4..=8).contains(&lesson.steps.len()),
                "{}: {} steps",
                built_in.name,
                lesson.steps.len()
            );
            if let Err(error) = lesson.start() {
                panic!("{}.md: {error}", built_in.name);
            }
        }
        assert!(built_in("jobs").is_some());
        assert!(built_in("../jobs").is_none());
    }
}
