//! Size of the release bundle in `dist/`: wasm, JS and CSS, raw and gzipped, against a budget.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

/// The budget for the gzipped wasm + JS + CSS of the release bundle. Raised from the foundation's
/// 600 KiB once the engine landed: the typed k8s-openapi objects that let real manifests parse and
/// print as kubectl prints them weigh most (PodSpec and Volume (de)serializers alone are ~150 KiB
/// raw); the release bundle measured 866 KiB gzipped with the engine, kubectl and the DaemonSet
/// controller, 910 KiB with the Job controller. Raised again to 1.25 MiB with the CronJob
/// controller and the full playground: the bundled IANA time-zone database and the cron engine
/// add ~96 KiB (the zones alone ~49 KiB; a browser has no tzdb of its own to lean on), and the
/// grid, editor, terminal, inspector, events and timelines ~170 KiB; the bundle measured
/// 1175 KiB gzipped then. Raised to 1.4 MiB with lessons and embedding: 1372 KiB gzipped measured
/// (+189 KiB). Of the wasm's code before wasm-opt, pulldown-cmark is 60 KiB (plus its entity
/// tables), the lesson format, checks and panel 58 KiB, share links 17 KiB and miniz_oxide 12 KiB,
/// the embed API 15 KiB; the eight built-in lessons' text is 23 KiB gzipped; the embed loader and
/// iframe page 6 KiB. Making the bundle lighter is the scale issue's work.
pub const BUDGET_GZIP_BYTES: u64 = 1400 * 1024;

const KINDS: [&str; 3] = ["wasm", "js", "css"];

pub fn report(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|err| {
        format!(
            "cannot read {}: {err} (the release build stage makes it)",
            dist.display()
        )
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|err| format!("cannot list {}: {err}", dist.display()))?
            .path();
        let kind = path.extension().and_then(|ext| ext.to_str()).unwrap_or("");
        if KINDS.contains(&kind) {
            let bytes = std::fs::read(&path)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            files.push((name, bytes.len() as u64, gzip_len(&bytes)?));
        }
    }
    if !files.iter().any(|(name, ..)| name.ends_with(".wasm")) {
        return Err(format!("no .wasm file in {}", dist.display()));
    }
    files.sort();

    let width = files
        .iter()
        .map(|(name, ..)| name.len())
        .max()
        .unwrap_or(0)
        .max(5);
    println!("{:<width$}  {:>10}  {:>10}", "file", "raw", "gzip -9");
    for (name, raw, gzip) in &files {
        println!("{name:<width$}  {:>10}  {:>10}", kib(*raw), kib(*gzip));
    }
    let raw: u64 = files.iter().map(|(_, raw, _)| raw).sum();
    let gzip: u64 = files.iter().map(|(.., gzip)| gzip).sum();
    println!("{:<width$}  {:>10}  {:>10}", "total", kib(raw), kib(gzip));
    println!("budget: {} gzipped", kib(BUDGET_GZIP_BYTES));
    if gzip > BUDGET_GZIP_BYTES {
        return Err(format!(
            "the bundle is {} gzipped, over the {} budget in crates/xtask/src/size.rs",
            kib(gzip),
            kib(BUDGET_GZIP_BYTES)
        ));
    }
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> Result<u64, String> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map(|gz| gz.len() as u64)
        .map_err(|err| format!("gzip failed: {err}"))
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}
