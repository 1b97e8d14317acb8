//! Admin accounts and their sessions: signing out on the server, the password policy, changing
//! a password, inviting and removing admins.

use sea_orm::{EntityTrait, sea_query::Expr};
use serde_json::json;
use server::db::entities::admin_invitation as invitation;

use crate::helpers::{Backend, PASSWORD, TestApp, assert_error};

const ME: &str = "{ me { email } }";
const SIGN_OUT: &str = "mutation { signOut }";

async fn sign_out_revokes_every_session_of_that_admin_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let other_tab = app.login("owner@example.com", PASSWORD).await["data"]["login"]["token"]
        .as_str()
        .expect("signed in")
        .to_owned();
    // The subscription is live: an order arrives on it.
    let mut ws = app.subscribe_to_leads(&token).await;
    app.submit_ok(json!({})).await;
    let live = ws.next_json().await.expect("the subscription delivers");
    assert_eq!(live["type"], "next", "{live}");

    let body = app.gql_as(&token, SIGN_OUT, json!({})).await;
    assert_eq!(body["data"]["signOut"], true, "{body}");

    // The token is refused from now on, and so is every other token of that admin.
    for t in [&token, &other_tab] {
        assert_error(&app.gql_as(t, ME, json!({})).await, "UNAUTHENTICATED", None);
        assert_error(
            &app.gql_as(t, SIGN_OUT, json!({})).await,
            "UNAUTHENTICATED",
            None,
        );
    }
    // The open subscription ends with the session.
    let ended = loop {
        let message = ws
            .next_json()
            .await
            .expect("the subscription reports its end");
        if message["type"] == "next" && message["payload"]["errors"].is_array() {
            break message;
        }
    };
    assert_eq!(
        ended["payload"]["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );

    // Signing in again works, and a fresh token is good.
    let fresh = app.login("owner@example.com", PASSWORD).await["data"]["login"]["token"]
        .as_str()
        .expect("signed in again")
        .to_owned();
    assert_eq!(
        app.gql_as(&fresh, ME, json!({})).await["data"]["me"]["email"],
        "owner@example.com"
    );
}

async fn sign_out_needs_a_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_error(&app.gql(SIGN_OUT, json!({})).await, "UNAUTHENTICATED", None);
}

const CHANGE: &str = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token expiresAt admin { email } } }";

/// `(reason, min)` of a refusal.
fn reason(body: &serde_json::Value) -> (String, i64) {
    let ext = &body["errors"][0]["extensions"];
    (
        ext["reason"]
            .as_str()
            .unwrap_or_else(|| panic!("no reason in {body}"))
            .to_owned(),
        ext["min"].as_i64().unwrap_or(-1),
    )
}

async fn the_password_policy_refuses_short_and_guessable_passwords(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (password, expected) in [
        ("password", ("TOO_SHORT", 12)),
        ("s3cret-pass", ("TOO_SHORT", 12)),
        ("passwordpassword", ("WEAK_PASSWORD", 3)),
        ("qwertyuiop123", ("WEAK_PASSWORD", 3)),
        ("owner.example.com", ("WEAK_PASSWORD", 3)),
    ] {
        let body = app.register_admin("owner@example.com", password).await;
        assert_error(&body, "BAD_USER_INPUT", Some("password"));
        let (r, min) = reason(&body);
        assert_eq!((r.as_str(), min), expected, "{password}: {body}");
    }
    assert_eq!(app.count("admins").await, 0, "nothing stored");
    assert!(
        app.register_admin("owner@example.com", PASSWORD).await["data"]["registerAdmin"]["token"]
            .is_string()
    );
}

async fn changing_the_password_needs_the_current_one_and_ends_other_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let other_device = app.login("owner@example.com", PASSWORD).await["data"]["login"]["token"]
        .as_str()
        .expect("signed in")
        .to_owned();
    const NEW: &str = "staple gazebo lantern";

    // A wrong current password, or a new one against the policy: refused, nothing changes.
    let wrong = app
        .gql_as(&token, CHANGE, json!({ "c": "not my password", "n": NEW }))
        .await;
    assert_error(&wrong, "BAD_USER_INPUT", Some("currentPassword"));
    assert_eq!(reason(&wrong).0, "WRONG_PASSWORD");
    let weak = app
        .gql_as(
            &token,
            CHANGE,
            json!({ "c": PASSWORD, "n": "password1234" }),
        )
        .await;
    assert_error(&weak, "BAD_USER_INPUT", Some("newPassword"));
    assert_eq!(reason(&weak).0, "WEAK_PASSWORD");
    let short = app
        .gql_as(&token, CHANGE, json!({ "c": PASSWORD, "n": "password" }))
        .await;
    assert_eq!(reason(&short), ("TOO_SHORT".to_owned(), 12), "{short}");
    assert_eq!(
        app.gql_as(&other_device, ME, json!({})).await["data"]["me"]["email"],
        "owner@example.com",
        "refusals change nothing"
    );

    let changed = app
        .gql_as(&token, CHANGE, json!({ "c": PASSWORD, "n": NEW }))
        .await;
    let fresh = changed["data"]["changePassword"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("changed: {changed}"))
        .to_owned();
    // This session goes on with its new token; every earlier token is refused.
    assert_eq!(
        app.gql_as(&fresh, ME, json!({})).await["data"]["me"]["email"],
        "owner@example.com"
    );
    for old in [&token, &other_device] {
        assert_error(
            &app.gql_as(old, ME, json!({})).await,
            "UNAUTHENTICATED",
            None,
        );
    }
    // The old password no longer signs in; the new one does.
    assert_error(
        &app.login("owner@example.com", PASSWORD).await,
        "UNAUTHENTICATED",
        None,
    );
    assert!(app.login("owner@example.com", NEW).await["data"]["login"]["token"].is_string());
}

async fn changing_the_password_needs_a_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.admin_token().await;
    let body = app
        .gql(
            CHANGE,
            json!({ "c": PASSWORD, "n": "staple gazebo lantern" }),
        )
        .await;
    assert_error(&body, "UNAUTHENTICATED", None);
    assert!(app.login("owner@example.com", PASSWORD).await["data"]["login"]["token"].is_string());
}

const INVITE: &str =
    "mutation($e: String!) { inviteAdmin(email: $e) { code invitation { id email expiresAt } } }";
const ACCEPT: &str = "mutation($c: String!, $p: String!) { acceptInvitation(code: $c, password: $p) { token admin { id email } } }";
const PREVIEW: &str = "query($c: String!) { invitation(code: $c) { email expiresAt } }";
const SECOND_PASSWORD: &str = "violet harbour compass";

async fn invite(app: &TestApp, token: &str, email: &str) -> String {
    let body = app.gql_as(token, INVITE, json!({ "e": email })).await;
    body["data"]["inviteAdmin"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("invited: {body}"))
        .to_owned()
}

async fn an_invited_admin_sets_a_password_once_and_signs_in_as_themselves(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.admin_token().await;
    let code = invite(&app, &owner, " Second@Example.com ").await;
    assert!(code.len() >= 32, "{code}");
    let stored: Vec<String> = invitation::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.code_hash)
        .collect();
    assert_eq!(stored.len(), 1);
    assert!(
        !stored[0].contains(&code),
        "only a hash of the code is kept"
    );

    let open = app
        .gql_as(&owner, "{ invitations { email } }", json!({}))
        .await;
    assert_eq!(
        open["data"]["invitations"][0]["email"],
        "second@example.com"
    );
    let preview = app.gql(PREVIEW, json!({ "c": code })).await;
    assert_eq!(preview["data"]["invitation"]["email"], "second@example.com");

    // The password policy holds here too; a refusal uses nothing up.
    let weak = app
        .gql(ACCEPT, json!({ "c": code, "p": "secondexample1" }))
        .await;
    assert_error(&weak, "BAD_USER_INPUT", Some("password"));
    assert_eq!(reason(&weak).0, "WEAK_PASSWORD", "{weak}");

    let accepted = app
        .gql(ACCEPT, json!({ "c": code, "p": SECOND_PASSWORD }))
        .await;
    let token = accepted["data"]["acceptInvitation"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("accepted: {accepted}"))
        .to_owned();
    assert_eq!(
        app.gql_as(&token, ME, json!({})).await["data"]["me"]["email"],
        "second@example.com"
    );
    assert!(
        app.login("second@example.com", SECOND_PASSWORD).await["data"]["login"]["token"]
            .is_string()
    );

    // A second use is refused, and creates nothing.
    let again = app
        .gql(ACCEPT, json!({ "c": code, "p": "another fine passphrase" }))
        .await;
    assert_error(&again, "BAD_USER_INPUT", Some("code"));
    assert_eq!(reason(&again).0, "INVITATION_USED");
    assert_eq!(
        reason(&app.gql(PREVIEW, json!({ "c": code })).await).0,
        "INVITATION_USED"
    );
    assert_eq!(app.count("admins").await, 2);
    let open = app
        .gql_as(&owner, "{ invitations { email } }", json!({}))
        .await;
    assert_eq!(open["data"]["invitations"], json!([]));

    // Both admins are listed.
    let list = app.gql_as(&token, "{ admins { email } }", json!({})).await;
    assert_eq!(
        list["data"]["admins"],
        json!([{ "email": "owner@example.com" }, { "email": "second@example.com" }])
    );
}

async fn invitations_expire_and_unknown_codes_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.admin_token().await;
    let code = invite(&app, &owner, "late@example.com").await;
    // Time passes: the invitation's expiry is moved into the past.
    invitation::Entity::update_many()
        .col_expr(
            invitation::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::TimeDelta::minutes(1)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let late = app
        .gql(ACCEPT, json!({ "c": code, "p": SECOND_PASSWORD }))
        .await;
    assert_error(&late, "BAD_USER_INPUT", Some("code"));
    assert_eq!(reason(&late).0, "INVITATION_EXPIRED");
    assert_eq!(
        reason(&app.gql(PREVIEW, json!({ "c": code })).await).0,
        "INVITATION_EXPIRED"
    );
    let unknown = app
        .gql(ACCEPT, json!({ "c": "not-a-code", "p": SECOND_PASSWORD }))
        .await;
    assert_eq!(reason(&unknown).0, "INVITATION_INVALID");
    assert_eq!(app.count("admins").await, 1);
    let open = app
        .gql_as(&owner, "{ invitations { email } }", json!({}))
        .await;
    assert_eq!(
        open["data"]["invitations"],
        json!([]),
        "expired ones are not listed"
    );

    // Inviting again gives a fresh code; a withdrawn one stops working.
    let fresh = invite(&app, &owner, "late@example.com").await;
    let open = app
        .gql_as(&owner, "{ invitations { id } }", json!({}))
        .await;
    let id = open["data"]["invitations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoked = app
        .gql_as(
            &owner,
            "mutation($i: ID!) { revokeInvitation(id: $i) }",
            json!({ "i": id }),
        )
        .await;
    assert_eq!(revoked["data"]["revokeInvitation"], true, "{revoked}");
    let withdrawn = app
        .gql(ACCEPT, json!({ "c": fresh, "p": SECOND_PASSWORD }))
        .await;
    assert_eq!(reason(&withdrawn).0, "INVITATION_INVALID");

    // An admin's own address cannot be invited; only admins invite.
    let taken = app
        .gql_as(&owner, INVITE, json!({ "e": "owner@example.com" }))
        .await;
    assert_error(&taken, "BAD_USER_INPUT", Some("email"));
    assert_error(
        &app.gql(INVITE, json!({ "e": "x@example.com" })).await,
        "UNAUTHENTICATED",
        None,
    );
}

async fn two_racing_redemptions_of_one_code_make_one_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.admin_token().await;
    let code = invite(&app, &owner, "race@example.com").await;
    let (a, b) = tokio::join!(
        app.gql(ACCEPT, json!({ "c": code, "p": SECOND_PASSWORD })),
        app.gql(ACCEPT, json!({ "c": code, "p": "another fine passphrase" })),
    );
    let won = [&a, &b]
        .iter()
        .filter(|body| body["data"]["acceptInvitation"]["token"].is_string())
        .count();
    assert_eq!(won, 1, "{a} {b}");
    assert_eq!(app.count("admins").await, 2);
}

async fn an_admin_removes_another_whose_sessions_end(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.admin_token().await;
    let code = invite(&app, &owner, "second@example.com").await;
    let accepted = app
        .gql(ACCEPT, json!({ "c": code, "p": SECOND_PASSWORD }))
        .await;
    let second = &accepted["data"]["acceptInvitation"];
    let token = second["token"].as_str().unwrap().to_owned();
    let id = second["admin"]["id"].as_str().unwrap().to_owned();
    let owner_id = app.gql_as(&owner, "{ me { id } }", json!({})).await["data"]["me"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    const REMOVE: &str = "mutation($i: ID!) { removeAdmin(id: $i) }";

    // Nobody removes themselves.
    assert_error(
        &app.gql_as(&owner, REMOVE, json!({ "i": owner_id })).await,
        "FORBIDDEN",
        None,
    );
    let removed = app.gql_as(&owner, REMOVE, json!({ "i": id })).await;
    assert_eq!(removed["data"]["removeAdmin"], true, "{removed}");
    assert_error(
        &app.gql_as(&token, ME, json!({})).await,
        "UNAUTHENTICATED",
        None,
    );
    assert_error(
        &app.login("second@example.com", SECOND_PASSWORD).await,
        "UNAUTHENTICATED",
        None,
    );
    assert_error(
        &app.gql_as(&owner, REMOVE, json!({ "i": id })).await,
        "NOT_FOUND",
        None,
    );
    assert_eq!(app.count("admins").await, 1);
}

const RENEW: &str = "mutation { renewSession { token expiresAt admin { email } } }";

async fn renewing_gives_a_full_lifetime_until_the_session_is_revoked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = app.register_admin("owner@example.com", PASSWORD).await;
    let id = body["data"]["registerAdmin"]["admin"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A token of the test's own making with a minute left.
    let now = chrono::Utc::now().timestamp();
    let short = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({ "sub": id, "iat": now - 3600, "exp": now + 60, "sv": 0 }),
        &jsonwebtoken::EncodingKey::from_secret(crate::helpers::TEST_SECRET.as_bytes()),
    )
    .unwrap();
    let renewed = app.gql_as(&short, RENEW, json!({})).await;
    let payload = &renewed["data"]["renewSession"];
    let fresh = payload["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{renewed}"))
        .to_owned();
    let expires: chrono::DateTime<chrono::Utc> =
        payload["expiresAt"].as_str().unwrap().parse().unwrap();
    assert!(
        expires.timestamp() >= now + 23 * 3600,
        "a full lifetime (24 h): {expires}"
    );
    assert_eq!(payload["admin"]["email"], "owner@example.com");
    assert_eq!(
        app.gql_as(&fresh, ME, json!({})).await["data"]["me"]["email"],
        "owner@example.com"
    );

    // Signing out ends the renewed token too, and nothing renews a revoked session.
    assert_eq!(
        app.gql_as(&fresh, SIGN_OUT, json!({})).await["data"]["signOut"],
        true
    );
    assert_error(
        &app.gql_as(&fresh, ME, json!({})).await,
        "UNAUTHENTICATED",
        None,
    );
    assert_error(
        &app.gql_as(&short, RENEW, json!({})).await,
        "UNAUTHENTICATED",
        None,
    );
    assert_error(&app.gql(RENEW, json!({})).await, "UNAUTHENTICATED", None);
}

db_tests!(
    sign_out_revokes_every_session_of_that_admin_only,
    sign_out_needs_a_session,
    the_password_policy_refuses_short_and_guessable_passwords,
    changing_the_password_needs_the_current_one_and_ends_other_sessions,
    changing_the_password_needs_a_session,
    an_invited_admin_sets_a_password_once_and_signs_in_as_themselves,
    invitations_expire_and_unknown_codes_are_refused,
    two_racing_redemptions_of_one_code_make_one_admin,
    an_admin_removes_another_whose_sessions_end,
    renewing_gives_a_full_lifetime_until_the_session_is_revoked,
);
