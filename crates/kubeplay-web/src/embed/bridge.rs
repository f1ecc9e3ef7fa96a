//! How a host page's script reaches a playground it mounted: the state's dispatcher (every call
//! is an action, applied at once), the latest state to read from, and the host's listener for
//! events. `App` connects it on every render.

use std::cell::RefCell;
use std::rc::Rc;

use yew::UseReducerDispatcher;

use super::events::Event;
use crate::state::{Action, Playground};

type Listener = Rc<dyn Fn(Vec<Event>)>;

#[derive(Default)]
struct Inner {
    dispatcher: RefCell<Option<UseReducerDispatcher<Playground>>>,
    state: RefCell<Option<Playground>>,
    listener: RefCell<Option<Listener>>,
}

#[derive(Clone, Default)]
pub struct Bridge(Rc<Inner>);

impl PartialEq for Bridge {
    fn eq(&self, other: &Bridge) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Bridge {
    /// Called by `App` on each render with its dispatcher and state.
    pub fn connect(&self, dispatcher: UseReducerDispatcher<Playground>, state: &Playground) {
        *self.0.dispatcher.borrow_mut() = Some(dispatcher);
        *self.0.state.borrow_mut() = Some(state.clone());
    }

    /// Applies `action` now (yew's reducer runs inside `dispatch`); false before the first render.
    pub fn dispatch(&self, action: Action) -> bool {
        let dispatcher = self.0.dispatcher.borrow().clone();
        match dispatcher {
            Some(dispatcher) => {
                dispatcher.dispatch(action);
                true
            }
            None => false,
        }
    }

    /// The state as of the last render. Its cluster, lesson and recording are the live ones
    /// (shared by every state), so reading them is reading the playground as it is.
    pub fn state(&self) -> Option<Playground> {
        self.0.state.borrow().clone()
    }

    pub fn listen(&self, listener: impl Fn(Vec<Event>) + 'static) {
        *self.0.listener.borrow_mut() = Some(Rc::new(listener));
    }

    /// Hands events to the host's listener, if it has one.
    pub fn deliver(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let listener = self.0.listener.borrow().clone();
        if let Some(listener) = listener {
            listener(events);
        }
    }

    /// Forgets the playground (it is being destroyed): later calls do nothing.
    pub fn disconnect(&self) {
        self.0.dispatcher.borrow_mut().take();
        self.0.state.borrow_mut().take();
        self.0.listener.borrow_mut().take();
    }
}
