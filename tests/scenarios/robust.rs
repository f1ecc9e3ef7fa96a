//! Stories of input at the edges, found by fuzzing: extreme quantities and durations, commands
//! that would run for ever, refused commands that must change nothing, flags that do not parse
//! and names with control characters.

use crate::story::{Story, text};

#[test]
fn a_refused_node_changes_nothing() {
    let story = Story::new("refused-node", &[]);
    let before = story.state_file();
    for (line, stderr) in [
        (
            "sim node add node-1",
            "Error from server (AlreadyExists): nodes \"node-1\" already exists\n",
        ),
        (
            "sim node add gpu-1 --label 'team lead=ann'",
            "The Node \"gpu-1\" is invalid: metadata.labels: Invalid value: \"team lead\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n",
        ),
        ("sim node add gpu-1 --taint 'bad key:NoSchedule'", ""),
        (
            "sim node add gpu-1 --taint gpu=true:Sometimes",
            "error: invalid taint effect: Sometimes, unsupported taint effect\n",
        ),
        ("sim node add gpu-1 --label team", ""),
        ("sim node add gpu-1 --cpu 1e", ""),
    ] {
        let ran = story.run(line);
        assert_eq!(ran.code, 1, "{line}: {ran:?}");
        if !stderr.is_empty() {
            assert_eq!(ran.stderr, stderr, "{line}");
        }
        assert_eq!(story.state_file(), before, "{line} changed the state");
    }
    // The refused nodes took nothing: the next node gets the same ids and index as in a
    // cluster where none was refused.
    story.ok("sim node add node-4");
    let fresh = Story::new("refused-node-fresh", &[]);
    fresh.ok("sim node add node-4");
    assert_eq!(story.state_file(), fresh.state_file());
    let node = story.json("kubectl get node node-4");
    assert_eq!(text(&node, "/spec/podCIDR"), "10.244.4.0/24");
}
