#![cfg(not(target_arch = "wasm32"))]
//! The CIFAR-10 downloader against an HTTP server on loopback serving a small
//! archive in the official layout: a good download is checked and extracted; a
//! wrong checksum or a cut connection is refused and leaves nothing behind.

use cnn::data::{cifar, download};
use md5::{Digest, Md5};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;

/// A cifar-10-binary.tar.gz with two records per training file and one test record.
fn archive() -> Vec<u8> {
    let record = |label: u8| {
        let mut r = vec![label];
        r.extend((0..cifar::RECORD - 1).map(|i| (i % 251) as u8));
        r
    };
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let mut add = |name: &str, data: Vec<u8>| {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(
            &mut header,
            format!("cifar-10-batches-bin/{name}"),
            data.as_slice(),
        )
        .unwrap();
    };
    for (k, name) in cifar::TRAIN_FILES.iter().enumerate() {
        add(name, [record(k as u8), record(9)].concat());
    }
    add(cifar::TEST_FILE, record(4));
    tar.into_inner().unwrap().finish().unwrap()
}

/// Serves `body` once; if `cut`, announces more bytes than it sends.
fn serve(body: Vec<u8>, cut: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 1024];
        let _ = stream.read(&mut request);
        let announced = if cut { body.len() * 2 } else { body.len() };
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n");
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
    });
    format!("http://{addr}/cifar-10-binary.tar.gz")
}

/// Answers one connection after another with `responses` (head and body each).
fn serve_all(responses: Vec<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for response in responses {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(&response);
        }
    });
    format!("http://{addr}")
}

fn response(head: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("cifar-download-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn downloads_checks_and_extracts() {
    let body = archive();
    let dir = scratch("ok");
    let url = serve(body.clone(), false);
    let root = download::cifar10(&url, &md5_hex(&body), &dir).unwrap();
    let split = cifar::load_dir(&root).unwrap();
    assert_eq!((split.train.len(), split.test.len()), (10, 1));
    assert_eq!(split.test.labels, vec![4]);
    // A second call finds the extracted files and downloads nothing.
    assert_eq!(
        download::cifar10("http://127.0.0.1:9/unused", "x", &dir).unwrap(),
        root
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_wrong_checksum_keeps_nothing() {
    let dir = scratch("md5");
    let url = serve(archive(), false);
    let e = download::cifar10(&url, download::CIFAR10_MD5, &dir)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("MD5") && e.contains(download::CIFAR10_MD5),
        "{e}"
    );
    assert!(!dir.join("cifar-10-binary.tar.gz").exists());
    assert!(!dir.join("cifar-10-binary.tar.gz.part").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_cut_connection_is_reported() {
    let body = archive();
    let dir = scratch("cut");
    let url = serve(body.clone(), true);
    let e = download::cifar10(&url, &md5_hex(&body), &dir)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&url) && (e.contains("received") || e.contains("broke")),
        "{e}"
    );
    assert!(!dir.join("cifar-10-binary.tar.gz").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unreachable_server_is_reported() {
    let dir = scratch("refused");
    let e =
        download::cifar10("http://127.0.0.1:9/cifar-10-binary.tar.gz", "x", &dir)
            .unwrap_err()
            .to_string();
    assert!(e.starts_with("downloading http://127.0.0.1:9/"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_redirect_is_followed() {
    let body = archive();
    let dir = scratch("redirect");
    // The server's own address is known once it listens: redirect to a path
    // on the same host.
    let base = serve_all(vec![
        response(
            "HTTP/1.1 302 Found\r\nLocation: /mirror/cifar-10-binary.tar.gz",
            b"",
        ),
        response("HTTP/1.1 200 OK", &body),
    ]);
    let url = format!("{base}/cifar-10-binary.tar.gz");
    let root = download::cifar10(&url, &md5_hex(&body), &dir).unwrap();
    assert_eq!(cifar::load_dir(&root).unwrap().test.labels, vec![4]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_http_error_is_reported_and_keeps_nothing() {
    let dir = scratch("404");
    let base = serve_all(vec![response("HTTP/1.1 404 Not Found", b"no such file")]);
    let url = format!("{base}/cifar-10-binary.tar.gz");
    let e = download::cifar10(&url, download::CIFAR10_MD5, &dir)
        .unwrap_err()
        .to_string();
    assert!(e.contains(&url) && e.contains("404"), "{e}");
    assert!(
        std::fs::read_dir(&dir).unwrap().next().is_none(),
        "{dir:?} is not empty"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
