//! What every console page shares: the shell (the header with the signed-in
//! user, the role's menu and sign-out; the page's nonce and CSRF token) and the
//! `SignedIn` extractor that every page behind sign-in takes. A request without
//! a valid session is sent to the sign-in page with the address it asked for
//! (`/login?next=/notices/12`), so a link in a mail leads to its page after
//! sign-in.
//!
//! A page reads and writes only through the domain with `signed_in.actor`, the
//! same `Actor` GraphQL would build from the same token: one access layer.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::EntityTrait;

use crate::error::DomainError;
use crate::web::csp::Nonce;
use crate::web::session::{SESSION_COOKIE, cookie};
use crate::web::{Shared, assets, errors};
use domain::actor::{Actor, Role, RoleKind};
use domain::audit::Audit;

/// One entry of the role's menu.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

/// The signed-in user as the header shows them.
pub struct ShellUser {
    pub username: String,
    /// The role as its users call it (`监管人员`).
    pub role: &'static str,
    pub nav: &'static [NavItem],
}

/// What `base.html` needs: the nonce of this answer's scripts, the CSRF token
/// of its forms, and the signed-in user (none on the sign-in and error pages).
pub struct Shell {
    pub nonce: String,
    pub csrf: String,
    pub user: Option<ShellUser>,
    /// The page draws charts: ECharts is loaded. (The console's own script,
    /// which also asks the confirmation of every `form[data-confirm]`, is
    /// loaded on every page: the notice page's decisions have one too.)
    pub charts: bool,
}

impl Shell {
    /// The shell of a page shown before sign-in (or of an error page).
    pub fn anonymous(nonce: &Nonce, csrf: &str) -> Self {
        Self {
            nonce: nonce.as_str().to_owned(),
            csrf: csrf.to_owned(),
            user: None,
            charts: false,
        }
    }

    /// The same shell, loading ECharts.
    pub fn with_charts(mut self) -> Self {
        self.charts = true;
        self
    }

    pub fn htmx(&self) -> &'static str {
        assets::HTMX
    }
    pub fn stylesheet(&self) -> &'static str {
        assets::STYLESHEET
    }
    pub fn echarts(&self) -> &'static str {
        assets::ECHARTS
    }
    pub fn script(&self) -> &'static str {
        assets::SCRIPT
    }
}

/// The role as its users call it.
pub fn role_name(role: Role) -> &'static str {
    role_kind_name(domain::audit::role_kind(role))
}

/// A role, unbound, as its users call it (a user's row, an audit entry).
pub fn role_kind_name(kind: RoleKind) -> &'static str {
    match kind {
        RoleKind::Admin => "系统管理员",
        RoleKind::Supervisor => "监管人员",
        RoleKind::Vendor => "云服务商",
        RoleKind::Agency => "使用单位",
    }
}

/// The supervision team's menu entries.
const DASHBOARD: NavItem = NavItem {
    href: "/",
    label: "考核看板",
};
const FACTS: NavItem = NavItem {
    href: "/facts",
    label: "事实记录",
};
const NOTICES: NavItem = NavItem {
    href: "/notices",
    label: "整改通知",
};
const DISPUTES: NavItem = NavItem {
    href: "/disputes",
    label: "考核申诉",
};
/// Songjiang's quotas and monthly usage (issue 16): read by vendors and agencies too.
const QUOTAS: NavItem = NavItem {
    href: "/quotas",
    label: "资源配额",
};
const USAGE: NavItem = NavItem {
    href: "/usage",
    label: "资源用量",
};
const BREACHES: NavItem = NavItem {
    href: "/breaches",
    label: "违约管理",
};
const IMPORTS: NavItem = NavItem {
    href: "/imports",
    label: "表格导入",
};
const CONTRACTS: NavItem = NavItem {
    href: "/contracts",
    label: "合同管理",
};
const METERING: NavItem = NavItem {
    href: "/metering",
    label: "计量结算",
};
/// The unified work order (issue 16 item 1): every role's systems.
const WORK_ORDERS: NavItem = NavItem {
    href: "/work-orders",
    label: "统一工单",
};

/// The menu of each role: what its people came to do.
pub fn nav(role: Role) -> &'static [NavItem] {
    match role {
        Role::Admin => &[
            DASHBOARD,
            FACTS,
            NOTICES,
            DISPUTES,
            BREACHES,
            IMPORTS,
            QUOTAS,
            USAGE,
            CONTRACTS,
            METERING,
            WORK_ORDERS,
            NavItem {
                href: "/admin",
                label: "系统管理",
            },
        ],
        // A supervisor reads its region's audit trail (`auditEntries`).
        Role::Supervisor { .. } => &[
            DASHBOARD,
            FACTS,
            NOTICES,
            DISPUTES,
            BREACHES,
            IMPORTS,
            QUOTAS,
            USAGE,
            CONTRACTS,
            METERING,
            WORK_ORDERS,
            NavItem {
                href: "/admin/audit",
                label: "审计记录",
            },
        ],
        Role::Vendor { .. } => &[
            NavItem {
                href: "/",
                label: "我的考核",
            },
            NavItem {
                href: "/notices",
                label: "整改通知",
            },
            NavItem {
                href: "/disputes",
                label: "我的申诉",
            },
            QUOTAS,
            USAGE,
            NavItem {
                href: "/breaches",
                label: "我的违约",
            },
            NavItem {
                href: "/contracts",
                label: "我的合同",
            },
            WORK_ORDERS,
        ],
        Role::Agency { .. } => &[
            NavItem {
                href: "/",
                label: "我的提交",
            },
            NavItem {
                href: "/complaints/new",
                label: "提交投诉",
            },
            NavItem {
                href: "/surveys/new",
                label: "满意度调查",
            },
            QUOTAS,
            USAGE,
            WORK_ORDERS,
        ],
    }
}

/// A page's signed-in caller: the actor every read and write goes through,
/// and the page's shell.
pub struct SignedIn {
    pub actor: Actor,
    pub shell: Shell,
    /// The session cookie's value, which the forms' CSRF tokens are bound to.
    session: String,
    pub nonce: Nonce,
    /// Where the request came from and its id, for the audit trail.
    client_addr: Option<String>,
    request_id: Option<String>,
}

impl SignedIn {
    /// Refuses a form whose CSRF token is not this session's (403 page).
    #[allow(clippy::result_large_err)]
    pub fn check_csrf(&self, console: &Shared, given: &str) -> Result<(), Response> {
        if console.csrf.check(&self.session, given) {
            Ok(())
        } else {
            Err(errors::csrf_refused(&self.nonce))
        }
    }

    /// The audit record of a change this request makes, named by the GraphQL
    /// mutation that makes the same change (`runMonthlyAssessment`), so the
    /// trail reads the same whichever edge it came through.
    pub fn audit(&self, operation: impl Into<String>) -> Audit {
        Audit::of_actor(
            operation,
            &self.actor,
            self.client_addr.clone(),
            self.request_id.clone(),
        )
    }

    /// The error page of a domain error, with this request's nonce.
    pub fn error(&self, e: DomainError) -> Response {
        errors::of_domain(e, &self.nonce)
    }
}

impl FromRequestParts<Shared> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, console: &Shared) -> Result<Self, Response> {
        let nonce = parts
            .extensions
            .get::<Nonce>()
            .cloned()
            .unwrap_or_else(Nonce::fresh);
        let to_login = || Redirect::to(&login_with_next(parts)).into_response();
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        let actor = match crate::session::actor_from_token(&console.state, token).await {
            Ok(Some(actor)) => actor,
            Ok(None) => return Err(to_login()),
            Err(e) => return Err(errors::of_domain(e, &nonce)),
        };
        let user = entities::user::Entity::find_by_id(actor.user_id)
            .one(&console.state.db)
            .await
            .map_err(|e| errors::of_domain(e.into(), &nonce))?
            .ok_or_else(to_login)?;
        let shell = Shell {
            nonce: nonce.as_str().to_owned(),
            csrf: console.csrf.token(token),
            user: Some(ShellUser {
                username: user.username,
                role: role_name(actor.role),
                nav: nav(actor.role),
            }),
            charts: false,
        };
        let client_addr = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|ConnectInfo(peer)| {
                let trusted = console.trusted_proxy_header.as_ref();
                crate::state::ClientAddr::of(*peer, &parts.headers, trusted)
                    .0
                    .to_string()
            });
        let request_id = parts
            .headers
            .get(crate::request_id::header())
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(Self {
            actor,
            shell,
            session: token.to_owned(),
            nonce,
            client_addr,
            request_id,
        })
    }
}

/// `/login`, with `next` naming the page asked for (a GET of a page other
/// than the home page).
fn login_with_next(parts: &Parts) -> String {
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    if parts.method != axum::http::Method::GET || target == "/" {
        return "/login".to_owned();
    }
    format!("/login?next={}", urlencoding(target))
}

/// Percent-encodes what a query value must not carry raw.
fn urlencoding(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The page to go to after sign-in: `next` when it is a path of this site
/// (`/…`, not `//host` nor a scheme), the home page otherwise.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/notices/12")), "/notices/12");
        assert_eq!(safe_next(Some("//evil.example/x")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn every_role_has_a_menu_starting_at_home() {
        for role in [
            Role::Admin,
            Role::Supervisor { region_id: 1 },
            Role::Vendor { vendor_id: 1 },
            Role::Agency { agency_id: 1 },
        ] {
            assert_eq!(nav(role)[0].href, "/");
        }
    }

    /// What a supervisor may do in its region, the administrator may do in
    /// every one: its menu holds the supervisor's work entries too.
    #[test]
    fn the_administrator_reaches_every_page_of_the_supervision_team() {
        let admin: Vec<&str> = nav(Role::Admin).iter().map(|i| i.href).collect();
        for item in nav(Role::Supervisor { region_id: 1 }) {
            // The audit trail is one of the administration's pages.
            if item.href != "/admin/audit" {
                assert!(admin.contains(&item.href), "{} missing", item.href);
            }
        }
        assert!(admin.contains(&"/admin"));
    }
}
