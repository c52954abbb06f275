//! The console's error page: the status, what happened and what to do, in
//! Chinese. A domain error is told as its kind only; the detail of an internal
//! one is logged, never shown.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::error::DomainError;
use crate::web::csp::Nonce;

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    shell: crate::web::shell::Shell,
    title: &'a str,
    status: u16,
    message: &'a str,
}

/// The error page with `status`, a title and a sentence.
pub fn page(status: StatusCode, nonce: &Nonce, title: &str, message: &str) -> Response {
    let page = ErrorPage {
        shell: crate::web::shell::Shell::anonymous(nonce, ""),
        title,
        status: status.as_u16(),
        message,
    };
    crate::web::html(status, &page)
}

/// A form whose CSRF token is missing or wrong.
pub fn csrf_refused(nonce: &Nonce) -> Response {
    page(
        StatusCode::FORBIDDEN,
        nonce,
        "请求被拒绝",
        "表单的安全校验未通过（页面可能已过期，或请求并非来自本系统）。请返回重新打开页面后再提交。",
    )
}

/// A domain error, told by its kind.
pub fn of_domain(error: DomainError, nonce: &Nonce) -> Response {
    let (status, title, message) = match &error {
        DomainError::Forbidden(_) => (
            StatusCode::FORBIDDEN,
            "无权访问",
            "您的账户无权查看此页面。",
        ),
        DomainError::NotFound(_) => (StatusCode::NOT_FOUND, "未找到", "您要查看的内容不存在。"),
        // A page's address or form that the domain refuses: the person can
        // correct it, so it is told (the field and the reason), not logged
        // as a failure of ours.
        DomainError::BadInput { field, reason } => {
            let message = bad_input_text(field, reason);
            return page(StatusCode::BAD_REQUEST, nonce, "请求有误", &message);
        }
        DomainError::Conflict(reason) => {
            let message = format!("操作未能完成：{reason}");
            return page(StatusCode::CONFLICT, nonce, "操作冲突", &message);
        }
        DomainError::Busy(_) | DomainError::Unavailable(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "系统繁忙",
            "系统暂时无法处理请求，请稍后再试。",
        ),
        _ => {
            tracing::error!(error = %error, "console: request failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "系统错误",
                "系统内部错误，请稍后再试或联系管理员。",
            )
        }
    };
    page(status, nonce, title, message)
}

/// "「filter.period」填写有误：请填写月份（如 2025-03）": the field as the
/// request named it, the reason in Chinese where the console knows it.
fn bad_input_text(field: &str, reason: &str) -> String {
    let field = field.strip_prefix("input.").unwrap_or(field);
    let reason = crate::graphql::facts::fields::reason_text(reason, |_| "相关时间");
    format!("「{field}」填写有误：{reason}")
}

/// When even a template failed: a page with no template and no script.
pub fn plain_internal() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(
            "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>系统错误</title>\
             <p>系统内部错误，请稍后再试或联系管理员。</p></html>",
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_input_is_told_with_its_field_and_chinese_reason_as_400() {
        let refused = DomainError::bad("filter.period", "\"2025-13\" is not a month");
        let answer = of_domain(refused, &Nonce::fresh());
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            bad_input_text("filter.period", "\"2025-13\" is not a month"),
            "「filter.period」填写有误：请填写月份（如 2025-03）"
        );
    }

    #[test]
    fn a_conflict_is_409_and_not_a_system_error() {
        let busy = DomainError::Conflict("区1 2025-03 的考核正在进行中".into());
        assert_eq!(
            of_domain(busy, &Nonce::fresh()).status(),
            StatusCode::CONFLICT
        );
    }
}
