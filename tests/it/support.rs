//! Helpers shared by the integration tests: fixture sites copied to a fresh temporary
//! folder, and the brief binary run against them.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

/// The folder of fixture sites.
pub fn sites() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/sites")
}

/// The repository root (the bundled site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of fixture `name` (a path under `tests/it/sites/`) in a temporary folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&sites().join(name), dir.path());
        Site { dir }
    }

    /// Fixture `name` dressed in the repository's own theme (its templates and assets), so
    /// that tests exercise the theme people use without keeping a copy of it.
    pub fn fixture_with_theme(name: &str) -> Site {
        let site = Site::fixture(name);
        for part in ["templates", "assets"] {
            copy_dir(&repo().join(part), &site.path(part));
        }
        site
    }

    /// The bundled site: site.toml, content, templates and assets of the repository.
    pub fn bundled() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        for part in ["content", "templates", "assets"] {
            copy_dir(&repo().join(part), &dir.path().join(part));
        }
        std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).expect("site.toml");
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    /// Replaces `from` with `to` in a file, failing if `from` is not there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Runs `brief ARGS --root ROOT` in the site's folder.
    pub fn brief(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root().to_str().unwrap().to_string();
        all.push("--root");
        all.push(&root);
        run(&all, self.root())
    }

    /// Runs `brief ARGS --root ROOT` in the site's folder with these environment variables.
    pub fn brief_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root().to_str().unwrap().to_string();
        all.push("--root");
        all.push(&root);
        run_with_env(&all, self.root(), env)
    }
}

/// What a run of brief did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "brief failed:\n{}\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn failure(&self) -> &Self {
        assert_eq!(
            self.code, 1,
            "expected exit 1:\n{}\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

pub fn run(args: &[&str], cwd: &Path) -> Run {
    run_with_env(args, cwd, &[])
}

/// Runs brief in `cwd` with these environment variables set. Nothing else from the
/// tester's environment reaches brief's own variables: a `BRIEF_BASE_URL` exported in the
/// shell would otherwise change what every build publishes.
pub fn run_with_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        // As in CI: no terminal to ask questions on.
        .stdin(Stdio::null())
        .env_remove("BRIEF_BASE_URL")
        .envs(env.iter().copied())
        .output()
        .expect("run brief");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: as_written_here(String::from_utf8_lossy(&output.stdout).into_owned()),
        stderr: as_written_here(String::from_utf8_lossy(&output.stderr).into_owned()),
    }
}

/// brief's messages name files with the system's own separator; the tests' expected texts
/// are written with `/`, so on Windows a backslash is read as `/` before they compare.
fn as_written_here(text: String) -> String {
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, for comparing whole outputs.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        // The manifest is brief's record of what it wrote (with inodes and times), not
        // part of the site.
        .filter(|e| e.file_type().is_file() && e.file_name() != ".brief-manifest")
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Starts `brief serve` on `site` at `port`, gathering everything it prints.
pub fn spawn_serve(site: &Site, port: u16, args: &[&str]) -> (Child, Arc<Mutex<String>>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("serve")
        .arg("--root")
        .arg(site.root())
        .args(["--port", &port.to_string()])
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("BRIEF_BASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run brief serve");
    let output = gather_output(&mut child);
    (child, output)
}

/// The port `brief serve` said it listens on (started with `--port 0`, it chooses one the
/// system gives it, so parallel tests never race for a port), waiting up to `patience`.
pub fn printed_port(output: &Mutex<String>, patience: std::time::Duration) -> u16 {
    let start = std::time::Instant::now();
    loop {
        let text = output.lock().unwrap().clone();
        let port = text
            .lines()
            .filter(|l| l.starts_with("Serving "))
            .find_map(|l| {
                l.split("http://")
                    .nth(1)?
                    .split(['/', ' '])
                    .next()?
                    .rsplit(':')
                    .next()?
                    .parse()
                    .ok()
            });
        if let Some(port) = port {
            return port;
        }
        assert!(
            start.elapsed() < patience,
            "brief serve never said where it listens; it printed:\n{text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Everything `child` prints on stdout and stderr, gathered line by line as it comes.
pub fn gather_output(child: &mut Child) -> Arc<Mutex<String>> {
    let output = Arc::new(Mutex::new(String::new()));
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let output = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let mut all = output.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
    }
    output
}

/// The JSON-LD of a page, parsed.
pub fn json_ld(page: &str) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let start = page.find(open).expect("the page has JSON-LD") + open.len();
    let end = start + page[start..].find("</script>").expect("the JSON-LD ends");
    serde_json::from_str(&page[start..end]).expect("the JSON-LD parses")
}

/// A symbolic link at `link` to `target` (relative to the link's folder, as on Unix). On
/// Windows a file or folder link, which needs Developer Mode or an administrator.
pub fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) -> std::io::Result<()> {
    #[cfg(unix)]
    return std::os::unix::fs::symlink(target, link);
    #[cfg(windows)]
    {
        let (target, link) = (target.as_ref(), link.as_ref());
        let resolved = link.parent().unwrap_or(Path::new("")).join(target);
        match resolved.is_dir() {
            true => std::os::windows::fs::symlink_dir(target, link),
            false => std::os::windows::fs::symlink_file(target, link),
        }
    }
}

/// Gives `path` the Unix permissions `mode`; on Windows only whether it is read-only.
pub fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    let permissions = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(mode)
    };
    #[cfg(not(unix))]
    let permissions = {
        let mut p = std::fs::metadata(path).unwrap().permissions();
        p.set_readonly(mode & 0o222 == 0);
        p
    };
    std::fs::set_permissions(path, permissions).unwrap();
}
