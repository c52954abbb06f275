//! The part forms as the console shows them (the fields of seed 001 附件1-3,
//! rows of the tables given a fixed number of lines) and the posted fields
//! read back into the JSON the domain checks (`domain::work_order_parts::forms`):
//! a field named `resources.0.cpuCores` is `{"resources": [{"cpuCores": …}]}`;
//! empty fields and empty table lines are left out, so a required field left
//! empty is refused naming it.

use domain::work_order_parts::PartKind;
use domain::work_order_parts::forms::{
    CLOUD_PLATFORMS, DEPLOYMENT_NODES, EXIT_TYPES, GRADES, HOST_TYPES, INTERCONNECTIONS,
    NETWORK_NEEDS, NETWORKS, SECURITY_TESTS, SYSTEM_TYPES, TEST_STATES, ZONES,
};
use serde_json::{Map, Value};

/// One choice of a select.
pub struct Choice {
    pub value: &'static str,
    pub selected: bool,
}

/// One field of the form.
pub struct Field {
    /// The posted name: the JSON path (`contact.name`).
    pub name: String,
    pub label: String,
    /// `text`, `textarea`, `date`, `number` or `select`.
    pub kind: &'static str,
    pub required: bool,
    pub choices: Vec<Choice>,
    pub value: String,
}

/// Whole numbers (`u32` in the forms): posted as text, sent as numbers.
const WHOLE_NUMBERS: [&str; 4] = ["hosts", "cpuCores", "memoryGb", "storageGb"];

struct Spec {
    name: String,
    label: String,
    kind: &'static str,
    required: bool,
    choices: &'static [&'static str],
}

fn f(name: &str, label: &str, kind: &'static str, required: bool) -> Spec {
    Spec {
        name: name.to_owned(),
        label: label.to_owned(),
        kind,
        required,
        choices: &[],
    }
}

fn pick(name: &str, label: &str, required: bool, choices: &'static [&'static str]) -> Spec {
    Spec {
        choices,
        ..f(name, label, "select", required)
    }
}

/// `lines` lines of a table: each column named `{table}.{i}.{key}`.
fn table(
    specs: &mut Vec<Spec>,
    table: &str,
    title: &str,
    lines: usize,
    columns: &[(&str, &str, &'static str, &'static [&'static str])],
) {
    for i in 0..lines {
        for (key, label, kind, choices) in columns {
            specs.push(Spec {
                choices,
                ..f(
                    &format!("{table}.{i}.{key}"),
                    &format!("{title}第 {} 行 {label}", i + 1),
                    kind,
                    false,
                )
            });
        }
    }
}

fn specs(part: PartKind) -> Vec<Spec> {
    match part {
        PartKind::Onboarding => {
            let mut s = vec![
                f("parentBody", "主管单位", "text", true),
                f("address", "单位地址邮编", "text", false),
                pick("cloudPlatform", "云平台（单选）", true, &CLOUD_PLATFORMS),
                pick(
                    "deploymentNode",
                    "部署节点（单选）",
                    true,
                    &DEPLOYMENT_NODES,
                ),
                f("testOn", "入云测试日期", "date", false),
                f("contact.name", "联系人姓名", "text", true),
                f("contact.phone", "联系人手机号", "text", true),
                f("contact.email", "联系人电子邮箱", "text", true),
                f("technicalContact.name", "技术联系人姓名", "text", false),
                f("technicalContact.phone", "技术联系人手机号", "text", false),
                f("priorApproval", "前置审批情况", "textarea", true),
                f("description", "功能描述", "textarea", true),
                pick("systemType", "系统类型", true, &SYSTEM_TYPES),
                pick("grade", "信息系统定级情况", true, &GRADES),
                f("runningTime", "信息系统运行时间", "text", true),
                f("serviceTargets", "系统服务对象", "text", true),
                f("serviceScope", "系统服务范围", "text", true),
                pick("network", "网络性质", true, &NETWORKS),
                pick(
                    "interconnections.0",
                    "系统互联情况",
                    true,
                    &INTERCONNECTIONS,
                ),
                pick(
                    "interconnections.1",
                    "系统互联情况（另选）",
                    false,
                    &INTERCONNECTIONS,
                ),
                f("interconnectedUnits", "涉及单位情况", "text", false),
                pick("networkNeed", "网络需求", true, &NETWORK_NEEDS),
            ];
            table(
                &mut s,
                "resources",
                "云计算资源需求",
                2,
                &[
                    ("zone", "网络区域", "select", &ZONES),
                    ("hosts", "主机总数（台）", "number", &[]),
                    ("cpuCores", "CPU 总数（核）", "number", &[]),
                    ("memoryGb", "内存总数（GB）", "number", &[]),
                    ("storageTb", "存储总数（TB）", "text", &[]),
                    ("note", "备注", "text", &[]),
                ],
            );
            table(
                &mut s,
                "services",
                "服务资源需求",
                2,
                &[
                    ("item", "服务项", "text", &[]),
                    ("description", "描述", "text", &[]),
                    ("quantity", "数量", "text", &[]),
                    ("unit", "单位", "text", &[]),
                ],
            );
            s.push(f("note", "其他说明", "textarea", false));
            s
        }
        PartKind::GoLive => {
            let mut s = vec![f("goLiveOn", "计划上线日期", "date", true)];
            for (i, item) in SECURITY_TESTS.iter().enumerate() {
                s.push(pick(
                    &format!("securityTests.{i}.state"),
                    &format!("安全检测：{item}"),
                    false,
                    &TEST_STATES,
                ));
            }
            table(
                &mut s,
                "hosts",
                "主机资源情况",
                3,
                &[
                    ("name", "主机名称", "text", &[]),
                    ("cpuCores", "CPU（核）", "number", &[]),
                    ("memoryGb", "内存（GB）", "number", &[]),
                    ("storageGb", "存储（GB）", "number", &[]),
                    ("hostType", "主机类型", "select", &HOST_TYPES),
                    ("from", "起始日期", "date", &[]),
                    ("to", "截止日期", "date", &[]),
                ],
            );
            table(
                &mut s,
                "networkServices",
                "网络服务情况",
                2,
                &[
                    ("item", "服务项", "text", &[]),
                    ("quantity", "数量", "text", &[]),
                    ("unit", "单位", "text", &[]),
                    ("from", "起始日期", "date", &[]),
                    ("to", "截止日期", "date", &[]),
                ],
            );
            s.push(f(
                "otherSecurity",
                "其他安全保障服务情况",
                "textarea",
                false,
            ));
            s
        }
        PartKind::Change => vec![
            f("reason", "变更原因", "textarea", true),
            f("currentService", "云服务现状", "textarea", true),
            f("targetService", "变更后云服务情况", "textarea", true),
            f("feasibility", "变更技术可行性", "text", false),
            f("plan", "变更实施方案", "textarea", false),
            f("changeOn", "变更日期", "date", true),
            f("note", "其他说明", "textarea", false),
        ],
        PartKind::Exit => vec![
            pick("exitType", "云服务退出类型", true, &EXIT_TYPES),
            f("situation", "业务系统或使用单位退出情况", "textarea", false),
            f("reason", "退出原因", "textarea", true),
            f("resourcesReleased", "退出资源", "textarea", true),
            f("exitingAgency", "退出使用单位", "text", false),
            f("exitOn", "退出日期", "date", true),
        ],
    }
}

/// The form's fields with the values posted (empty for a new form).
pub fn fields(part: PartKind, posted: &[(String, String)]) -> Vec<Field> {
    let value = |name: &str| {
        posted
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    specs(part)
        .into_iter()
        .map(|s| {
            let value = value(&s.name);
            Field {
                choices: s
                    .choices
                    .iter()
                    .map(|c| Choice {
                        value: c,
                        selected: *c == value,
                    })
                    .collect(),
                name: s.name,
                label: s.label,
                kind: s.kind,
                required: s.required,
                value,
            }
        })
        .collect()
}

/// The posted fields of `part` as the form's JSON.
pub fn json(part: PartKind, posted: &[(String, String)]) -> Value {
    let known: Vec<String> = specs(part).into_iter().map(|s| s.name).collect();
    let mut root = Value::Object(Map::new());
    for (name, value) in posted {
        let value = value.trim();
        if value.is_empty() || !known.contains(name) {
            continue;
        }
        let path: Vec<&str> = name.split('.').collect();
        let leaf = *path.last().unwrap_or(&"");
        let value = match value.parse::<u64>() {
            Ok(n) if WHOLE_NUMBERS.contains(&leaf) => Value::from(n),
            _ => Value::from(value),
        };
        put(&mut root, &path, value);
    }
    if part == PartKind::GoLive {
        name_security_tests(&mut root);
    }
    compact(&mut root);
    root
}

/// Sets `value` at `path`; a numeric step is an index into a list.
fn put(node: &mut Value, path: &[&str], value: Value) {
    let Some((step, rest)) = path.split_first() else {
        *node = value;
        return;
    };
    let child = match step.parse::<usize>() {
        Ok(i) => {
            if !node.is_array() {
                *node = Value::Array(Vec::new());
            }
            let Value::Array(list) = node else { return };
            while list.len() <= i {
                list.push(Value::Null);
            }
            &mut list[i]
        }
        Err(_) => {
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            let Value::Object(map) = node else { return };
            map.entry(step.to_string()).or_insert(Value::Null)
        }
    };
    put(child, rest, value);
}

/// The nine checks are fixed lines of the form: a line answered gets its name.
fn name_security_tests(root: &mut Value) {
    if let Some(Value::Array(tests)) = root.get_mut("securityTests") {
        for (i, test) in tests.iter_mut().enumerate() {
            if let (Value::Object(t), Some(item)) = (test, SECURITY_TESTS.get(i)) {
                t.insert("item".into(), Value::from(*item));
            }
        }
    }
}

/// Drops the lines of a table left empty (the list's holes).
fn compact(node: &mut Value) {
    match node {
        Value::Array(list) => {
            list.retain(|v| !v.is_null());
            list.iter_mut().for_each(compact);
        }
        Value::Object(map) => map.values_mut().for_each(compact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn table_lines_become_lists_and_empty_lines_are_left_out() {
        let json = json(
            PartKind::Onboarding,
            &posted(&[
                ("contact.name", "李四"),
                ("resources.0.zone", ""),
                ("resources.1.zone", "政务外网"),
                ("resources.1.cpuCores", "32"),
                ("resources.1.storageTb", "10.5"),
                ("csrf", "x"),
            ]),
        );
        assert_eq!(
            json,
            serde_json::json!({"contact": {"name": "李四"},
                "resources": [{"zone": "政务外网", "cpuCores": 32, "storageTb": "10.5"}]})
        );
    }

    #[test]
    fn an_answered_security_check_is_named_by_its_line() {
        let json = json(
            PartKind::GoLive,
            &posted(&[("securityTests.3.state", "已开展")]),
        );
        assert_eq!(
            json,
            serde_json::json!({"securityTests": [{"state": "已开展", "item": "漏洞扫描"}]})
        );
    }
}
