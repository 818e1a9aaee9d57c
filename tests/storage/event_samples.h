// One sample of every domain event with every field set to something other than its default
// (an optional holds a value), shared by the codec tests. A new alternative of task::Event
// without a sample here fails EventCodec.SamplesCoverEveryEventType, and a sample that leaves a
// payload field at its default fails EventCodec.EverySampleSetsEveryPayloadField (so the round
// trip really exercises every field's write and read).
#pragma once

#include <chrono>
#include <vector>

#include "model/task/events.h"
#include "model/time.h"

namespace duban::storage::testing {

inline Timestamp sample_time(int minute) {
  return from_millis(1'767'312'000'000 + minute * 60'000LL);  // 2026-01-02T00:00Z + minutes
}

// One evidence reference (every field set) named `name`.
inline task::Attachments sample_attachments(const std::string& name) {
  return {task::Attachment{"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", name,
                           "application/pdf", 4096}};
}

inline task::Provenance sample_provenance(int version = 2) {
  return task::Provenance{DocumentId("青政办〔2015〕151号"),
                          version,
                          "青海省社会信用体系建设规划（2014—2020年）任务分工",
                          "11.(2)",
                          "建立信用信息共享机制",
                          "建立信用信息共享机制。（省发展改革委牵头负责，省财政厅参加）",
                          412,
                          414};
}

// A draft clause with every field set (an optional holding a value, lists not empty).
inline task::DraftClause sample_draft_clause(const std::string& key) {
  return task::DraftClause{key,
                           "青海省社会信用体系建设规划（2014—2020年）任务分工",
                           "11.(2)",
                           "建立信用信息共享机制",
                           "建立信用信息共享机制。（省发展改革委牵头负责，省财政厅参加）",
                           task::Mode::kSeparately,
                           {task::DraftUnit{"省发展改革委", UnitId("fgw"), task::Role::kLead},
                            task::DraftUnit{"省财政厅", UnitId("czt"), task::Role::kParticipant}},
                           std::string("2017-12-31"),
                           "2017年底",
                           412,
                           414,
                           0.55,
                           {"unit not in directory: 省信用办"}};
}

inline std::vector<task::Event> every_event_sample() {
  using namespace duban::task;
  return {
      DocumentRegistered{DocumentId("青政办〔2015〕151号"),
                         "青政办〔2015〕151号",
                         "关于印发青海省社会信用体系建设规划的通知",
                         "青海省人民政府办公厅",
                         "2015-08-06",
                         {"正文", "任务分工"},
                         2,
                         "sha256:00ff"},
      TaskCreated{TaskId("青政办〔2015〕151号|任务分工|11.(2)"),
                  sample_provenance(1),
                  Mode::kSeparately,
                  {UnitId("fgw"), UnitId("czt")},
                  {UnitId("swt")},
                  std::string("2017-12-31"),
                  sample_time(1),
                  Reading{Mode::kLead, {UnitId("fgw")}, {}, std::nullopt},
                  TaskId("青政办〔2015〕150号|任务分工|3")},
      UnitAssigned{UnitId("fgw"), Role::kParticipant, 3},
      TaskReassigned{Mode::kSeparately,
                     Mode::kResponsible,
                     {UnitId("fgw")},
                     {UnitId("czt")},
                     {UnitId("swt")},
                     {},
                     "document revision 2",
                     2},
      TaskRevised{sample_provenance(3), Reading{Mode::kSeparately,
                                                {UnitId("fgw"), UnitId("czt")},
                                                {UnitId("swt")},
                                                std::string("2018-03-31")}},
      TaskAcknowledged{UnitId("fgw"), sample_time(2)},
      ProgressReported{UnitId("czt"), "已完成方案起草", 0, sample_time(3),
                       sample_attachments("方案初稿.docx")},
      TaskUrged{UnitId("czt"), "请加快进度"},
      ExtensionRequested{UnitId("fgw"), "2018-06-30", "需协调多部门"},
      ExtensionApproved{"2018-03-31", std::string("2017-12-31")},
      ExtensionRejected{"理由不充分"},
      DeadlineSet{std::string("2018-06-30"), std::string("2018-03-31"), "document revision 4", 4},
      CompletionReported{UnitId("fgw"), "平台已上线", sample_time(4),
                         sample_attachments("验收报告.pdf")},
      CompletionApproved{UnitId("fgw")},
      TaskClosed{sample_time(5)},
      TaskReturned{UnitId("czt"), "材料不全"},
      TaskReopened{"审计发现问题"},
      TaskCancelled{"clause removed in document revision 5", 5, sample_time(6)},
      DeadlineApproaching{"2017-12-31", sample_time(7)},
      TaskOverdue{"2017-12-31", sample_time(8)},
      ReportingCycleSet{ReportingCycle::kQuarterly, ReportingCycle::kMonthly, "每季度报送进展",
                        sample_time(9)},
      ProgressReportDue{"2016-03", "2016-03-31", sample_time(10)},
      ProgressReportOverdue{"2016-Q1", "2016-03-31", sample_time(11)},
      DraftRecorded{DocumentId("青政办〔2015〕151号"),
                    "青政办〔2015〕151号",
                    "关于印发青海省社会信用体系建设规划的通知",
                    "青海省人民政府办公厅",
                    "2015-08-06",
                    {"正文", "任务分工"},
                    1,
                    "sha256:00ff",
                    {sample_draft_clause("c1"), sample_draft_clause("c2")}},
      DraftCorrected{Correction::kMerge,
                     {sample_draft_clause("c1"), sample_draft_clause("c2")},
                     {sample_draft_clause("c1")},
                     "两项同属一项任务"},
      DraftPublished{1, {TaskId("青政办〔2015〕151号|任务分工|11.(2)")}, sample_time(9)},
      UnitNameMapped{"省发改委", UnitId("fgw")},
      account::AccountCreated{account::AccountId("wang.fang"),
                              "王芳",
                              UnitId("fgw"),
                              {account::Role::kHandler, account::Role::kUnitHead},
                              "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
                              sample_time(9)},
      account::AccountDisabled{"调离岗位", sample_time(10)},
      account::AccountRolesChanged{{account::Role::kInspector}, sample_time(11)},
      account::PasswordReset{"$argon2id$v=19$m=65536,t=2,p=1$bmV3c2FsdA$bmV3", sample_time(12)},
      account::SignInLockedOut{"127.0.0.1", 5, sample_time(14), sample_time(13)},
      UnitDirectoryRecorded{"fgw\tdepartment\t省发展改革委\t省发改委\n", "sha256:00ff",
                            "units.tsv"},
      CompletionSubmitted{UnitId("fgw"), "平台已上线，请审核", sample_time(15),
                          sample_attachments("上线截图.png")},
      CompletionSignedOff{UnitId("fgw"), "同意上报", sample_time(16)},
      SignOffRefused{UnitId("fgw"), "请补充验收材料", sample_time(17)},
      account::UnitSignOffRequired{UnitId("fgw"), true, sample_time(18)},
      account::TokenIssued{"tok-0123456789ab", "nightly-import", account::TokenScope::kUnit,
                           UnitId("fgw"), account::AccountId(),
                           "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                           sample_time(16), sample_time(15)},
      account::TokenRevoked{"泄露", sample_time(16)},
      ChildTaskCreated{TaskId("T~xining-gov"), UnitId("xining-gov"), std::string("2017-11-30"),
                       UnitId("fgw"), UnitId("city-prefecture-govs"), "分解落实", sample_time(19)},
      ContributionReported{UnitId("swt"), "提供了统计数据", sample_time(20),
                           sample_attachments("统计表.xlsx")},
      DraftEvidenceRequirementSet{true, "办结须附佐证材料"},
      EvidenceRequirementSet{true, "办结须附佐证材料", 2},
  };
}

}  // namespace duban::storage::testing
