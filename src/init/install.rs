//! The steps that install brief in a workflow `brief init` writes: one piece of text,
//! `install-brief.yml`, spliced in at a workflow's `# @install-brief@` line, so that every
//! workflow init writes (publishing, review reminders) installs the same pinned brief the
//! same way: the release binary checked against its SHA-256, a cached build only while the
//! version has no release.

/// What a workflow holds, on a line of its own, where the install steps go: a comment, so
/// that the workflow's own file is valid YAML too. The steps take the line's indentation.
const MARKER: &str = "# @install-brief@";

/// `workflow` with the install steps in place of its marker line, indented as it is, pinned
/// to this brief's version.
pub fn with_install_steps(workflow: &str) -> String {
    let steps =
        include_str!("install-brief.yml").replace("@BRIEF_VERSION@", env!("CARGO_PKG_VERSION"));
    let mut out = String::with_capacity(workflow.len() + steps.len());
    for line in workflow.split_inclusive('\n') {
        let indent = &line[..line.len() - line.trim_start().len()];
        if line.trim() != MARKER {
            out.push_str(line);
            continue;
        }
        for step in steps.lines() {
            if !step.is_empty() {
                out.push_str(indent);
                out.push_str(step);
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_publish_workflow_installs_the_pinned_release() {
        let workflow = with_install_steps(include_str!("publish.yml"));
        assert!(!workflow.contains("@install-brief@") && !workflow.contains("@BRIEF_VERSION@"));
        let yaml: serde_yaml::Value = serde_yaml::from_str(&workflow).unwrap();
        let steps = yaml["jobs"]["build"]["steps"].as_sequence().unwrap();
        let names: Vec<&str> = steps.iter().filter_map(|s| s["name"].as_str()).collect();
        assert_eq!(&names[..3], ["Cache brief", "Install brief", "Check"]);
        let install = steps[3]["env"]["BRIEF_VERSION"].as_str().unwrap();
        assert_eq!(install, env!("CARGO_PKG_VERSION"));
        // Any workflow, at any indentation.
        let other = with_install_steps(
            "jobs:\n  a:\n    steps:\n        # @install-brief@\n        - run: brief review\n",
        );
        let yaml: serde_yaml::Value = serde_yaml::from_str(&other).unwrap();
        let steps = yaml["jobs"]["a"]["steps"].as_sequence().unwrap();
        assert_eq!(steps.len(), 3, "{other}");
    }
}
