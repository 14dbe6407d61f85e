//! The steps that install brief in a workflow `brief init` writes: one piece of text,
//! `install-brief.yml`, spliced in at a workflow's `# @install-brief@` line, so that every
//! workflow init writes (publishing, review reminders) installs the same pinned brief the
//! same way: the release binary checked against its SHA-256, a cached build only while the
//! version has no release.

/// The line a workflow holds where the install steps go (a comment, so that the workflow's
/// own file is valid YAML too).
const MARKER: &str = "      # @install-brief@\n";

/// `workflow` with the install steps in place of its marker line, pinned to this brief's
/// version.
pub fn with_install_steps(workflow: &str) -> String {
    let steps =
        include_str!("install-brief.yml").replace("@BRIEF_VERSION@", env!("CARGO_PKG_VERSION"));
    workflow.replace(MARKER, &steps)
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
    }
}
