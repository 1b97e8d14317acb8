//! The front-ends as the development server serves them: a missing admin asset is a 404 (never
//! the SPA's index, which a tab holding an older build would run as its script and stay
//! blank), the index is revalidated on every use, hashed assets are cached for good.

use crate::helpers::{Backend, TestApp};

/// A built admin SPA of the test's own: `index.html` naming `assets/app-new.js`.
fn built_front_ends() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("order-desk-static-{}", uuid::Uuid::new_v4()));
    let dist = root.join("admin-spa/dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::create_dir_all(root.join("public-site/dist")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        r#"<!doctype html><script type="module" src="/admin/assets/app-new.js"></script>"#,
    )
    .unwrap();
    std::fs::write(dist.join("assets/app-new.js"), "export {};").unwrap();
    root
}

async fn a_missing_admin_asset_is_not_found_and_the_index_is_revalidated(backend: Backend) {
    let root = built_front_ends();
    let app = TestApp::spawn_with(backend, &[("STATIC_ROOT", root.to_str().unwrap())]).await;
    let get = |path: &str| app.client.get(app.url(path)).send();

    // The previous build's script, asked for by a stale index: 404, not HTML.
    let old = get("/admin/assets/app-old.js").await.unwrap();
    assert_eq!(old.status(), 404);

    let asset = get("/admin/assets/app-new.js").await.unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );

    // Deep links get the index, which the browser must revalidate before reusing.
    for path in ["/admin/", "/admin/orders", "/admin/login?next=%2Forders"] {
        let index = get(path).await.unwrap();
        assert_eq!(index.status(), 200, "{path}");
        assert_eq!(index.headers()["cache-control"], "no-cache", "{path}");
        assert!(index.text().await.unwrap().contains("app-new.js"), "{path}");
    }
    std::fs::remove_dir_all(root).ok();
}

db_tests!(a_missing_admin_asset_is_not_found_and_the_index_is_revalidated);
