//! The daily check of the exits' duties (`domain::work_order_parts::exit`):
//! each migration help or data-erasure confirmation past its day raises one
//! rectification notice to the vendor (`NoticeKind::ExitDutyOverdue`, mailed
//! like every notice), recorded on the exit so a later check never issues it
//! again. Run with the security-risk check (`RISK_CHECK_CRON`) and by
//! `run-due`.

use chrono::{DateTime, Utc};
use domain::notices::NewNotice;
use domain::work_order_parts::exit::{self, ExitView};
use engine::work_order::ExitDuty;
use entities::notice::NoticeKind;
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::error::JobResult;

/// Issues the notices due at `now`; returns how many.
pub async fn overdue_exit_duties(
    db: &DatabaseConnection,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<usize> {
    let mut issued = 0;
    for (view, duties) in exit::unnoticed_overdue(db, now).await? {
        let system = entities::information_system::Entity::find_by_id(view.duty.system_id)
            .one(db)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        let mut row = view.duty.clone();
        for duty in duties {
            let txn = domain::db::write_txn(db).await?;
            let notice = crate::notices::issue(
                &txn,
                notice(&view, duty, &system, public_url),
                public_url,
                now,
            )
            .await?;
            row = exit::mark_noticed(&txn, row, duty, notice.id).await?;
            txn.commit().await?;
            issued += 1;
        }
    }
    Ok(issued)
}

/// The notice of one overdue duty: what, which system, the day it was due.
fn notice(view: &ExitView, duty: ExitDuty, system: &str, public_url: &str) -> NewNotice {
    let d = &view.duty;
    let due = match duty {
        ExitDuty::Migration => d.migration_due.unwrap_or(d.erasure_due),
        ExitDuty::VendorErasure | ExitDuty::AgencyErasure => d.erasure_due,
    };
    let basis = match duty {
        ExitDuty::Migration => format!(
            "合同约定：乙方应在甲方提出系统迁出需求后 {} 天内配合甲方完成信息系统迁移",
            d.migration_days.unwrap_or_default()
        ),
        ExitDuty::VendorErasure | ExitDuty::AgencyErasure => format!(
            "统一工单第四部分（信息系统退出）：退出日期 {}，数据清除情况须由云服务商和使用单位确认",
            d.exit_on
        ),
    };
    NewNotice {
        region_id: d.region_id,
        vendor_id: d.vendor_id,
        kind: NoticeKind::ExitDutyOverdue,
        period: None,
        reason: format!(
            "信息系统{}退出：{}应于 {due} 前完成，至今未完成",
            engine::title_text(system),
            duty.text()
        ),
        basis: vec![
            basis,
            format!(
                "工单时间线：{}/systems/{}/work-orders",
                public_url.trim_end_matches('/'),
                d.system_id
            ),
        ],
        result_id: None,
        risk_id: None,
        deadline: None,
        created_by: None,
    }
}
