//! What the lesson list shows of the built-in lessons (`kubeplay_core::lesson::builtin`).

use kubeplay_core::lesson::Lesson;
pub use kubeplay_core::lesson::builtin::{BUILT_IN, BuiltIn, built_in};

/// What the lesson list shows of one lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonCard {
    pub name: String,
    pub title: String,
    pub description: String,
    pub minutes: Option<u32>,
    pub steps: usize,
}

/// The list a newcomer sees first. The built-in lessons are tested to read, so none is left out
/// at run time.
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
    fn a_card_per_built_in_lesson() {
        let cards = cards();
        assert_eq!(cards.len(), BUILT_IN.len());
        assert!(
            cards
                .iter()
                .all(|card| card.steps >= 4 && card.minutes.is_some())
        );
    }
}
