//! The built-in lessons: one Markdown file each under `web/lessons/`, in the order a newcomer
//! takes them. `?lesson=NAME` opens one by its file name without `.md`.

use kubeplay_core::lesson::Lesson;

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
            text: include_str!(concat!("../../../web/lessons/", $name, ".md")),
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

/// What the lesson list shows of one lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonCard {
    pub name: String,
    pub title: String,
    pub description: String,
    pub minutes: Option<u32>,
    pub steps: usize,
}

pub fn built_in(name: &str) -> Option<&'static BuiltIn> {
    BUILT_IN.iter().find(|lesson| lesson.name == name)
}

/// The list a newcomer sees first. The built-in lessons are tested to read (below), so none is
/// left out at run time.
pub fn cards() -> Vec<LessonCard> {
    BUILT_IN
        .iter()
        .filter_map(|built_in| {
            let lesson = Lesson::parse(built_in.text).ok()?;
            Some(LessonCard {
                name: built_in.name.to_string(),
                title: lesson.title,
                description: lesson.description,
                minutes: lesson.minutes,
                steps: lesson.steps.len(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(cards().len(), BUILT_IN.len());
        assert!(built_in("jobs").is_some());
        assert!(built_in("../jobs").is_none());
    }
}
