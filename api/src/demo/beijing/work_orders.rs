//! The demo system's unified work order (issue 16 item 1), under the lease
//! terms (`bj-lease`: part 1 in 3 working days, part 2 in 1; migration help
//! within 10 days), calendar 2024:
//! - part 1 received Tue 9 Jan 2024: 10, 11, 12 Jan → due Fri 12 Jan; done
//!   Thu 11 Jan: on time;
//! - part 2 received Thu 8 Feb 2024: the 1 working day is Fri 9 Feb (10–17
//!   Feb are the Spring Festival); done Sun 18 Feb (调休上班): late;
//! - part 4, exit on the term's last day, Fri 27 Dec 2024; migration help
//!   asked Thu 5 Dec → day 10 is Sun 15 Dec → due Mon 16 Dec, done Fri 13 Dec;
//!   the vendor confirmed the erasure on 27 Dec, the agency never did: the
//!   daily check gives the vendor's notice of it.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;

use super::{Beijing, USERS, at, day, supervisor};
use crate::error::{DomainError, DomainResult};
use domain::actor::{Actor, Role};
use domain::audit::Audit;
use domain::work_order_parts::exit::{self, ExitStep, TakenStep};
use domain::work_order_parts::{self as parts, PartKind, Submission};

pub(super) async fn load(conn: &DatabaseConnection, bj: &Beijing) -> DomainResult<()> {
    let sup = supervisor(bj);
    let vendor = vendor(conn, bj).await?;
    let now = Utc::now();
    let part = |kind, form, submitted| Submission {
        system_id: bj.system_id,
        part: kind,
        form,
        submitted_at: Some(submitted),
    };
    let onboarding = json!({
        "parentBody": "北京市应急管理局", "cloudPlatform": "太极云", "deploymentNode": "北京市政务服务中心节点",
        "contact": {"name": "王工", "phone": "13900000000", "email": "wang@yjj.example.gov.cn"},
        "priorApproval": "京发改（审）〔2023〕 号复函", "description": "危险化学品安全生产风险监测预警",
        "systemType": "业务生产系统", "grade": "三级", "runningTime": "7*24 小时",
        "serviceTargets": "危险化学品企业、监管人员", "serviceScope": "全市", "network": "政务外网",
        "interconnections": ["与其他单位系统连接"], "networkNeed": "横向系统",
        "resources": [{"zone": "政务外网", "hosts": 10, "cpuCores": 80, "memoryGb": 320, "storageTb": "20"}]
    });
    let go_live = json!({
        "goLiveOn": "2024-02-20",
        "securityTests": [{"item": "漏洞扫描", "state": "已开展"}, {"item": "渗透测试", "state": "已开展"}],
        "hosts": [{"name": "yj-app-01", "cpuCores": 8, "memoryGb": 32, "storageGb": 500, "hostType": "虚拟机"}],
        "networkServices": [{"item": "政务外网地址", "quantity": "4", "unit": "个"}]
    });
    let exit_form = json!({"exitType": "业务系统退出", "reason": "合同期满，系统迁至新平台",
        "resourcesReleased": "云主机 10 台、存储 20 TB", "exitOn": "2024-12-27"});
    let steps = [
        (
            PartKind::Onboarding,
            onboarding,
            day(2024, 1, 8),
            (day(2024, 1, 9), day(2024, 1, 11)),
        ),
        (
            PartKind::GoLive,
            go_live,
            day(2024, 2, 7),
            (day(2024, 2, 8), day(2024, 2, 18)),
        ),
    ];
    for (kind, form, submitted, (received, done)) in steps {
        let id = step_submit(conn, &sup, part(kind, form, at(submitted, 9, 0)), now).await?;
        let audit = Audit::of_actor("approveWorkOrderPart", &sup, None, None);
        parts::approve(conn, &sup, &audit, id, Some(at(received, 10, 0)), now).await?;
        let audit = Audit::of_actor("completeWorkOrderPart", &vendor, None, None);
        parts::complete(conn, &vendor, &audit, id, Some(at(done, 17, 0)), now).await?;
    }
    let id = step_submit(
        conn,
        &sup,
        part(PartKind::Exit, exit_form, at(day(2024, 12, 2), 9, 0)),
        now,
    )
    .await?;
    let audit = Audit::of_actor("approveWorkOrderPart", &sup, None, None);
    parts::approve(
        conn,
        &sup,
        &audit,
        id,
        Some(at(day(2024, 12, 3), 10, 0)),
        now,
    )
    .await?;
    let exit_id = entities::exit_duty::Entity::find()
        .filter(entities::exit_duty::Column::PartId.eq(id))
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::Internal("the demo's exit has no duties".into()))?
        .id;
    let exit_steps = [
        (
            &sup,
            ExitStep::RequestMigration,
            at(day(2024, 12, 5), 10, 0),
            "requestMigrationHelp",
        ),
        (
            &vendor,
            ExitStep::CompleteMigration,
            at(day(2024, 12, 13), 16, 0),
            "completeMigrationHelp",
        ),
        (
            &vendor,
            ExitStep::ConfirmErasure { erased: true },
            at(day(2024, 12, 27), 16, 0),
            "confirmErasure",
        ),
    ];
    for (actor, step, when, operation) in exit_steps {
        let audit = Audit::of_actor(operation, actor, None, None);
        let taken = TakenStep {
            step,
            at: Some(when),
        };
        exit::step(conn, actor, &audit, exit_id, taken, now).await?;
    }
    Ok(())
}

async fn step_submit(
    conn: &DatabaseConnection,
    actor: &Actor,
    submission: Submission,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    let audit = Audit::of_actor("submitWorkOrderPart", actor, None, None);
    Ok(parts::submit(conn, actor, &audit, submission, now)
        .await?
        .id)
}

/// The demo vendor's user (`demo-taiji`), who records the deliveries.
async fn vendor(conn: &DatabaseConnection, bj: &Beijing) -> DomainResult<Actor> {
    let user = entities::user::Entity::find()
        .filter(entities::user::Column::Username.eq(USERS[1].0))
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::Internal("the demo vendor's user is missing".into()))?;
    Ok(Actor {
        user_id: user.id,
        role: Role::Vendor {
            vendor_id: bj.vendor_id,
        },
    })
}
