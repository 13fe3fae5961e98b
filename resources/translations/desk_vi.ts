<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>ActionDialog</name>
    <message>
        <source>File {code} — {name}</source>
        <translation>Hồ sơ {code} — {name}</translation>
    </message>
    <message>
        <source>Status: {0}</source>
        <translation>Trạng thái: {0}</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Set an earlier moment to record a step done before.</source>
        <translation>Chọn thời điểm sớm hơn để ghi nhận một bước đã thực hiện trước đó.</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>Checking the password…</source>
        <translation>Đang kiểm tra mật khẩu…</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Quản trị viên</translation>
    </message>
    <message>
        <source>An administrator exists already: sign in to go on.</source>
        <translation>Đã có tài khoản quản trị: hãy đăng nhập để tiếp tục.</translation>
    </message>
    <message>
        <source>The administrator manages users, settings, the calendar and the procedures.</source>
        <translation>Quản trị viên quản lý người dùng, cài đặt, lịch làm việc và danh mục thủ tục.</translation>
    </message>
    <message>
        <source>e.g. Counter 3</source>
        <translation>ví dụ: Quầy 3</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>Nhập lại mật khẩu</translation>
    </message>
    <message>
        <source>At least {0} characters.</source>
        <translation>Ít nhất {0} ký tự.</translation>
    </message>
    <message>
        <source>Counter name</source>
        <translation>Tên quầy</translation>
    </message>
    <message>
        <source>Optional: this computer&apos;s counter, shown on the status bar and recorded on the files received and the steps taken here. Settings › This computer changes it later.</source>
        <translation>Không bắt buộc: quầy của máy này, hiện trên thanh trạng thái và ghi vào hồ sơ tiếp nhận và các bước xử lý tại đây. Có thể đổi sau ở Cài đặt › Máy này.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Hai mật khẩu không khớp nhau.</translation>
    </message>
    <message>
        <source>This account is not an administrator.</source>
        <translation>Tài khoản này không có quyền quản trị.</translation>
    </message>
</context>
<context>
    <name>AgenciesTab</name>
    <message>
        <source>A centre&apos;s database holds one agency per department whose counters sit in the centre. Each has its own identifier in file codes, catalogue, register books, forms and sync token; officers work for the agencies assigned to them on the Users tab.</source>
        <translation>Cơ sở dữ liệu của Trung tâm có một cơ quan cho mỗi sở, ngành có quầy tại Trung tâm. Mỗi cơ quan có mã riêng trong mã hồ sơ, danh mục thủ tục, sổ theo dõi, biểu mẫu và mã truy cập gửi Sở; công chức làm việc cho các cơ quan được phân công ở thẻ Người dùng.</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Mã cơ quan</translation>
    </message>
    <message>
        <source>Short name</source>
        <translation>Tên viết tắt</translation>
    </message>
    <message>
        <source>Agency name</source>
        <translation>Tên cơ quan</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Add agency…</source>
        <translation>Thêm cơ quan…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Sửa…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Đã đóng</translation>
    </message>
    <message>
        <source>Agency {0} added.</source>
        <translation>Đã thêm cơ quan {0}.</translation>
    </message>
    <message>
        <source>Agency {0} saved.</source>
        <translation>Đã lưu cơ quan {0}.</translation>
    </message>
</context>
<context>
    <name>AgencyChooser</name>
    <message>
        <source>Agency</source>
        <translation>Cơ quan</translation>
    </message>
</context>
<context>
    <name>AgencyDialog</name>
    <message>
        <source>New agency</source>
        <translation>Thêm cơ quan</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>e.g. 000.00.20.H37</source>
        <translation>ví dụ 000.00.20.H37</translation>
    </message>
    <message>
        <source>e.g. Department of Justice</source>
        <translation>ví dụ Sở Tư pháp</translation>
    </message>
    <message>
        <source>The agency has files; their printed codes carry this identifier.</source>
        <translation>Cơ quan đã có hồ sơ; mã hồ sơ đã in mang mã cơ quan này.</translation>
    </message>
    <message>
        <source>Open (takes files; officers work for it)</source>
        <translation>Đang hoạt động (nhận hồ sơ; công chức làm việc cho cơ quan)</translation>
    </message>
    <message>
        <source>Agency identifier</source>
        <translation>Mã cơ quan</translation>
    </message>
    <message>
        <source>Agency name</source>
        <translation>Tên cơ quan</translation>
    </message>
    <message>
        <source>Short name</source>
        <translation>Tên viết tắt</translation>
    </message>
    <message>
        <source>Governing body</source>
        <translation>Cơ quan chủ quản</translation>
    </message>
    <message>
        <source>Unit name</source>
        <translation>Tên bộ phận</translation>
    </message>
    <message>
        <source>Place name for dates</source>
        <translation>Địa danh ghi ngày tháng</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <source>Office hours, slips and forms of the agency are set on the Desk tab once it is added.</source>
        <translation>Giờ làm việc, phiếu và biểu mẫu của cơ quan được cài đặt ở thẻ Bộ phận sau khi thêm.</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>Bắt buộc.</translation>
    </message>
</context>
<context>
    <name>AgencyTicks</name>
    <message>
        <source>closed</source>
        <translation>đã đóng</translation>
    </message>
</context>
<context>
    <name>ApplicantScreen</name>
    <message>
        <source>Rating screen</source>
        <translation>Màn hình đánh giá</translation>
    </message>
    <message>
        <source>Please rate our service once you have been served</source>
        <translation>Xin mời quý khách đánh giá sau khi được phục vụ</translation>
    </message>
    <message>
        <source>How satisfied are you with our service?</source>
        <translation>Quý khách có hài lòng với sự phục vụ không?</translation>
    </message>
    <message>
        <source>You may also tap what it was about (optional)</source>
        <translation>Quý khách có thể chạm để chọn thêm nội dung (không bắt buộc)</translation>
    </message>
    <message>
        <source>Your comment (optional)</source>
        <translation>Góp ý của quý khách (không bắt buộc)</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <source>Thank you for your rating!</source>
        <translation>Cảm ơn quý khách đã đánh giá!</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>Cảm ơn quý khách!</translation>
    </message>
</context>
<context>
    <name>BusyBox</name>
    <message>
        <source>The database is busy</source>
        <translation>Cơ sở dữ liệu đang bận</translation>
    </message>
    <message>
        <source>The database is busy: another computer or a file import is writing to it. Nothing was saved. Try again in a moment.</source>
        <translation>Cơ sở dữ liệu đang bận: một máy khác hoặc một lần nhập hồ sơ đang ghi vào. Chưa có gì được lưu. Hãy bấm “Thử lại” sau giây lát.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Thử lại</translation>
    </message>
</context>
<context>
    <name>CalendarTab</name>
    <message>
        <source>Basis, e.g. number of the announcement</source>
        <translation>Căn cứ, ví dụ số thông báo</translation>
    </message>
    <message>
        <source>Make it a working day</source>
        <translation>Đặt là ngày làm việc</translation>
    </message>
    <message>
        <source>Make it a day off</source>
        <translation>Đặt là ngày nghỉ</translation>
    </message>
    <message>
        <source>Back to the usual rule</source>
        <translation>Theo lịch thông thường</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Thứ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Selected day</source>
        <translation>Ngày đang chọn</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Holidays, make-up days and changes this year</source>
        <translation>Ngày nghỉ lễ, ngày làm bù và điều chỉnh trong năm</translation>
    </message>
    <message>
        <source>working</source>
        <translation>làm việc</translation>
    </message>
    <message>
        <source>off</source>
        <translation>nghỉ</translation>
    </message>
    <message>
        <source>{0}: {1} working days.</source>
        <translation>Năm {0}: {1} ngày làm việc.</translation>
    </message>
    <message>
        <source>Working day</source>
        <translation>Ngày làm việc</translation>
    </message>
    <message>
        <source>Day off</source>
        <translation>Ngày nghỉ</translation>
    </message>
    <message>
        <source>{0} is now a working day.</source>
        <translation>Ngày {0} đã được đặt là ngày làm việc.</translation>
    </message>
    <message>
        <source>{0} is now a day off.</source>
        <translation>Ngày {0} đã được đặt là ngày nghỉ.</translation>
    </message>
</context>
<context>
    <name>CatalogTab</name>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên thủ tục</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời hạn</translation>
    </message>
    <message>
        <source>Fee (VND)</source>
        <translation>Phí (đồng)</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>Đang áp dụng</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Thêm…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Sửa…</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>Ngừng áp dụng</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Nhập…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Xuất…</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>ngừng áp dụng</translation>
    </message>
    <message>
        <source>Bring back</source>
        <translation>Áp dụng lại</translation>
    </message>
    <message>
        <source>Procedure {0} added.</source>
        <translation>Đã thêm thủ tục {0}.</translation>
    </message>
    <message>
        <source>Procedure {0} saved.</source>
        <translation>Đã lưu thủ tục {0}.</translation>
    </message>
    <message>
        <source>Procedure {0} is in use again.</source>
        <translation>Thủ tục {0} đã được áp dụng lại.</translation>
    </message>
    <message>
        <source>Procedure {0} retired.</source>
        <translation>Đã ngừng áp dụng thủ tục {0}.</translation>
    </message>
    <message>
        <source>Imported {0}: {1} added, {2} updated, {3} unchanged.</source>
        <translation>Đã nhập {0}: thêm {1}, cập nhật {2}, không đổi {3}.</translation>
    </message>
    <message>
        <source>Exported {0} procedures to {1}.</source>
        <translation>Đã xuất {0} thủ tục ra {1}.</translation>
    </message>
    <message>
        <source>Import procedures</source>
        <translation>Nhập danh mục thủ tục</translation>
    </message>
    <message>
        <source>Catalogue files (*.json *.csv)</source>
        <translation>Tệp danh mục (*.json *.csv)</translation>
    </message>
    <message>
        <source>Export procedures</source>
        <translation>Xuất danh mục thủ tục</translation>
    </message>
    <message>
        <source>JSON (*.json);;CSV for Excel (*.csv)</source>
        <translation>JSON (*.json);;CSV cho Excel (*.csv)</translation>
    </message>
</context>
<context>
    <name>ChecklistEditor</name>
    <message>
        <source>Add document</source>
        <translation>Thêm giấy tờ</translation>
    </message>
    <message>
        <source>Remove document</source>
        <translation>Xóa giấy tờ</translation>
    </message>
</context>
<context>
    <name>ChecklistModel</name>
    <message>
        <source>Document</source>
        <translation>Giấy tờ</translation>
    </message>
    <message>
        <source>Copy type</source>
        <translation>Loại bản</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Bắt buộc</translation>
    </message>
</context>
<context>
    <name>ChoosePostDialog</name>
    <message>
        <source>Change delivery address</source>
        <translation>Đổi địa chỉ nhận kết quả</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Deliver the result by post</source>
        <translation>Trả kết quả qua bưu chính</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Người nhận</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <source>House number, street, ward, province</source>
        <translation>Số nhà, đường, xã/phường, tỉnh/thành phố</translation>
    </message>
    <message>
        <source>Delivery address</source>
        <translation>Địa chỉ nhận</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>Reason (required)</source>
        <translation>Lý do (bắt buộc)</translation>
    </message>
    <message>
        <source>Recorded at</source>
        <translation>Thời điểm ghi nhận</translation>
    </message>
    <message>
        <source>Withdraw the file</source>
        <translation>Rút hồ sơ</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>Rút hồ sơ</translation>
    </message>
    <message>
        <source>Stop processing</source>
        <translation>Dừng xử lý hồ sơ</translation>
    </message>
    <message>
        <source>Stop and print the notice</source>
        <translation>Dừng và in thông báo</translation>
    </message>
</context>
<context>
    <name>CorrectDialog</name>
    <message>
        <source>Correct a field</source>
        <translation>Điều chỉnh thông tin hồ sơ</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>Điều chỉnh</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Thông tin</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>Giá trị mới</translation>
    </message>
    <message>
        <source>Why the recorded value was wrong</source>
        <translation>Vì sao thông tin đã ghi bị sai</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Lý do (bắt buộc)</translation>
    </message>
    <message>
        <source>YYYY-MM-DD HH:MM (same day)</source>
        <translation>YYYY-MM-DD HH:MM (năm-tháng-ngày giờ:phút, cùng ngày)</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>File code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Chủ hồ sơ</translation>
    </message>
    <message>
        <source>Reason for delay</source>
        <translation>Lý do chậm trả</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Settling agency</source>
        <translation>Cơ quan giải quyết</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>Hẹn trả</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Thời gian còn lại</translation>
    </message>
    <message>
        <source>Rule&apos;s due</source>
        <translation>Hạn theo quy định</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Thời gian chờ</translation>
    </message>
    <message>
        <source>Paused since</source>
        <translation>Tạm dừng từ</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>Sắp đến hạn</translation>
    </message>
    <message>
        <source>The overdue watch is for supervisors. Sign in as a supervisor to see it.</source>
        <translation>Theo dõi hồ sơ quá hạn dành cho lãnh đạo. Hãy đăng nhập bằng tài khoản lãnh đạo để xem.</translation>
    </message>
    <message>
        <source>Reschedule with apology…</source>
        <translation>Xin lỗi, hẹn lại…</translation>
    </message>
    <message>
        <source>Mark reason for delay…</source>
        <translation>Ghi lý do chậm trả…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Receiving officer</source>
        <translation>Cán bộ tiếp nhận</translation>
    </message>
    <message>
        <source>By procedure</source>
        <translation>Theo thủ tục</translation>
    </message>
    <message>
        <source>By settling agency</source>
        <translation>Theo cơ quan giải quyết</translation>
    </message>
    <message>
        <source>By receiving officer</source>
        <translation>Theo cán bộ tiếp nhận</translation>
    </message>
    <message>
        <source>Overdue watch</source>
        <translation>Theo dõi quá hạn</translation>
    </message>
    <message>
        <source>Due within one working day</source>
        <translation>Đến hạn trong 1 ngày làm việc</translation>
    </message>
    <message>
        <source>Paused longest</source>
        <translation>Tạm dừng lâu nhất</translation>
    </message>
    <message>
        <source>{0} ({1} of {2})</source>
        <translation>{0} ({1}/{2})</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>{0} overdue · {1} due within one working day · {2} paused — at {3}</source>
        <translation>{0} quá hạn · {1} đến hạn trong 1 ngày làm việc · {2} tạm dừng — lúc {3}</translation>
    </message>
    <message>
        <source>{0} file(s) rescheduled; apology letters recorded.</source>
        <translation>Đã hẹn lại {0} hồ sơ; đã lưu phiếu xin lỗi.</translation>
    </message>
    <message>
        <source>The first {0} letters are open; print the others from each file&apos;s slips.</source>
        <translation>Đã mở {0} phiếu đầu; in các phiếu còn lại từ mục Phiếu đã in của từng hồ sơ.</translation>
    </message>
    <message>
        <source>Could not print the letter of: {0}.</source>
        <translation>Không in được phiếu của hồ sơ: {0}.</translation>
    </message>
    <message>
        <source>Reason for delay recorded on {0} file(s).</source>
        <translation>Đã ghi lý do chậm trả cho {0} hồ sơ.</translation>
    </message>
    <message>
        <source>Due within {0} working days</source>
        <translation>Đến hạn trong {0} ngày làm việc</translation>
    </message>
    <message>
        <source>{0} overdue · {1} due soon · {2} paused — at {3}</source>
        <translation>{0} quá hạn · {1} sắp đến hạn · {2} tạm dừng — lúc {3}</translation>
    </message>
</context>
<context>
    <name>DashboardCharts</name>
    <message>
        <source>Show</source>
        <translation>Xem</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>12 tháng gần nhất</translation>
    </message>
    <message>
        <source>Other ({0})</source>
        <translation>Khác ({0})</translation>
    </message>
    <message>
        <source>Settled files by month: early, on time, late</source>
        <translation>Hồ sơ đã giải quyết theo tháng: trước hạn, đúng hạn, quá hạn</translation>
    </message>
    <message>
        <source>Late files by procedure (settled late or overdue)</source>
        <translation>Hồ sơ trễ hạn theo thủ tục (giải quyết quá hạn hoặc đang quá hạn)</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Đang đếm…</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Biểu đồ</translation>
    </message>
    <message>
        <source>Early</source>
        <translation>Trước hạn</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>Đúng hạn</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>No late files in this period.</source>
        <translation>Không có hồ sơ trễ hạn trong kỳ.</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>Procedures and sample files</source>
        <translation>Thủ tục và hồ sơ mẫu</translation>
    </message>
    <message>
        <source>Finish saves the settings and creates the administrator.</source>
        <translation>Bấm Hoàn tất để lưu cài đặt và tạo tài khoản quản trị.</translation>
    </message>
    <message>
        <source>Load the bundled procedure catalogue</source>
        <translation>Nạp danh mục thủ tục có sẵn</translation>
    </message>
    <message>
        <source>Add demo files (for training; not real applicants)</source>
        <translation>Thêm hồ sơ mẫu (để tập huấn, không phải người nộp thật)</translation>
    </message>
    <message>
        <source> files</source>
        <translation> hồ sơ</translation>
    </message>
    <message>
        <source>The catalogue has {0} procedures already.</source>
        <translation>Danh mục đã có {0} thủ tục.</translation>
    </message>
    <message>
        <source>Number of demo files</source>
        <translation>Số hồ sơ mẫu</translation>
    </message>
    <message>
        <source>Demo files need the catalogue and add demo user accounts; leave this off on a desk that starts real work.</source>
        <translation>Hồ sơ mẫu cần danh mục thủ tục và sẽ thêm các tài khoản người dùng mẫu; không chọn mục này nếu bộ phận bắt đầu làm việc thật.</translation>
    </message>
</context>
<context>
    <name>DelayReasonDialog</name>
    <message>
        <source>Reason for delay</source>
        <translation>Lý do chậm trả</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Ghi nhận</translation>
    </message>
    <message>
        <source>e.g. waiting for another agency&apos;s opinion</source>
        <translation>ví dụ chờ ý kiến của cơ quan khác</translation>
    </message>
    <message>
        <source>Reason for the delay</source>
        <translation>Lý do chậm trả</translation>
    </message>
</context>
<context>
    <name>DeskTab</name>
    <message>
        <source>e.g. 000.00.20.H37</source>
        <translation>ví dụ 000.00.20.H37</translation>
    </message>
    <message>
        <source>Web address for file look-up</source>
        <translation>Địa chỉ trang web tra cứu hồ sơ</translation>
    </message>
    <message>
        <source>Each copy on its own A4 sheet</source>
        <translation>Mỗi liên in trên một tờ A4</translation>
    </message>
    <message>
        <source>Both copies on one A4 sheet</source>
        <translation>Hai liên in chung một tờ A4</translation>
    </message>
    <message>
        <source>Mark reprinted slips as reprints</source>
        <translation>Ghi “Bản in lại” trên phiếu in lại</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>Hủy thay đổi</translation>
    </message>
    <message>
        <source>Identity (printed on the forms)</source>
        <translation>Thông tin đơn vị (in trên biểu mẫu)</translation>
    </message>
    <message>
        <source>Governing body</source>
        <translation>Cơ quan chủ quản</translation>
    </message>
    <message>
        <source>Agency name</source>
        <translation>Tên cơ quan</translation>
    </message>
    <message>
        <source>Unit name</source>
        <translation>Tên đơn vị</translation>
    </message>
    <message>
        <source>Agency identifier</source>
        <translation>Mã định danh cơ quan</translation>
    </message>
    <message>
        <source>Place name for dates</source>
        <translation>Địa danh ghi ngày tháng</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <source>Look-up address</source>
        <translation>Địa chỉ tra cứu</translation>
    </message>
    <message>
        <source>Hours and rules</source>
        <translation>Giờ làm việc và quy định</translation>
    </message>
    <message>
        <source>Office hours</source>
        <translation>Giờ làm việc</translation>
    </message>
    <message>
        <source>Same-day cut-off</source>
        <translation>Giờ chốt hồ sơ trong ngày</translation>
    </message>
    <message>
        <source>Due soon (working days)</source>
        <translation>Sắp đến hạn khi còn (ngày làm việc)</translation>
    </message>
    <message>
        <source>Appointments moved at most</source>
        <translation>Số lần hẹn lại tối đa</translation>
    </message>
    <message>
        <source>Supplement slip suffix</source>
        <translation>Ký hiệu phiếu yêu cầu bổ sung</translation>
    </message>
    <message>
        <source>Refusal slip suffix</source>
        <translation>Ký hiệu phiếu từ chối tiếp nhận</translation>
    </message>
    <message>
        <source>Apology letter suffix</source>
        <translation>Ký hiệu phiếu xin lỗi và hẹn lại</translation>
    </message>
    <message>
        <source>Form set</source>
        <translation>Bộ biểu mẫu</translation>
    </message>
    <message>
        <source>Receipt layout</source>
        <translation>Cách in giấy tiếp nhận</translation>
    </message>
    <message>
        <source>First day at the desk</source>
        <translation>Ngày bắt đầu dùng chương trình</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>Không được để trống.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
</context>
<context>
    <name>DocumentsEditor</name>
    <message>
        <source>Add document</source>
        <translation>Thêm giấy tờ</translation>
    </message>
    <message>
        <source>Remove document</source>
        <translation>Xóa giấy tờ</translation>
    </message>
</context>
<context>
    <name>DocumentsModel</name>
    <message>
        <source>Document</source>
        <translation>Giấy tờ</translation>
    </message>
    <message>
        <source>Copy type</source>
        <translation>Loại bản</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Bản quét</translation>
    </message>
    <message>
        <source>Scan later</source>
        <translation>Số hóa sau</translation>
    </message>
    <message>
        <source>Not scanned: shown only</source>
        <translation>Không số hóa: chỉ xuất trình</translation>
    </message>
    <message>
        <source>Not scanned: produced in processing</source>
        <translation>Không số hóa: hình thành khi giải quyết</translation>
    </message>
    <message>
        <source>Not scanned: confidential</source>
        <translation>Không số hóa: tài liệu mật</translation>
    </message>
    <message>
        <source>Unreadable scan</source>
        <translation>Bản quét không đọc được</translation>
    </message>
    <message>
        <source>Counting pages…</source>
        <translation>Đang đếm trang…</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n trang</numerusform>
        </translation>
    </message>
    <message>
        <source>Submitted online</source>
        <translation>Nộp trực tuyến</translation>
    </message>
    <message>
        <source>To scan</source>
        <translation>Chưa quét</translation>
    </message>
</context>
<context>
    <name>FileDetail</name>
    <message>
        <source>Choose a file in the list, or type its code in the search box.</source>
        <translation>Chọn một hồ sơ trong danh sách, hoặc nhập mã hồ sơ vào ô tìm kiếm.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Đến</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Slip</source>
        <translation>Phiếu</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>First printed</source>
        <translation>In lần đầu</translation>
    </message>
    <message>
        <source>Open / reprint</source>
        <translation>Mở / in lại</translation>
    </message>
    <message>
        <source>Handover control sheet</source>
        <translation>Phiếu kiểm soát quá trình giải quyết</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Quá trình xử lý</translation>
    </message>
    <message>
        <source>Printed slips</source>
        <translation>Phiếu đã in</translation>
    </message>
    <message>
        <source>Appointment (receipt): {0}</source>
        <translation>Hẹn trả (giấy hẹn): {0}</translation>
    </message>
    <message>
        <source>Due by the rules: {0}</source>
        <translation>Hạn theo quy định: {0}</translation>
    </message>
    <message>
        <source>{0} (against the due by the rules)</source>
        <translation>{0} (tính theo hạn quy định)</translation>
    </message>
    <message>
        <source>Supplement</source>
        <translation>Bổ sung hồ sơ</translation>
    </message>
    <message>
        <source>Pauses</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Pauses of the clock (supplements, financial obligations) and reschedules</source>
        <translation>Các lần tạm dừng tính thời gian (bổ sung hồ sơ, nghĩa vụ tài chính) và hẹn lại</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>Bưu chính</translation>
    </message>
    <message>
        <source>Scans</source>
        <translation>Số hóa</translation>
    </message>
    <message numerus="yes">
        <source>%n paper(s) still to scan</source>
        <translation>
            <numerusform>%n giấy tờ chờ số hóa</numerusform>
        </translation>
    </message>
    <message>
        <source>Financial obligation</source>
        <translation>Nghĩa vụ tài chính</translation>
    </message>
    <message>
        <source>(still paused)</source>
        <translation>(đang tạm dừng)</translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation>Hẹn lại</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <source>Settling agency</source>
        <translation>Cơ quan giải quyết</translation>
    </message>
    <message>
        <source>Processing time</source>
        <translation>Thời hạn giải quyết</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Chủ hồ sơ</translation>
    </message>
    <message>
        <source>Identity number</source>
        <translation>Số CCCD/định danh</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Thư điện tử</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Submitted by</source>
        <translation>Người nộp</translation>
    </message>
    <message>
        <source>Submitter&apos;s identity number</source>
        <translation>Số CCCD/định danh người nộp</translation>
    </message>
    <message>
        <source>Submitter&apos;s phone</source>
        <translation>Số điện thoại người nộp</translation>
    </message>
    <message>
        <source>Authorisation</source>
        <translation>Ủy quyền</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Thành phần hồ sơ</translation>
    </message>
    <message>
        <source>Sets</source>
        <translation>Số bộ hồ sơ</translation>
    </message>
    <message>
        <source>Fee collected</source>
        <translation>Phí, lệ phí đã thu</translation>
    </message>
    <message>
        <source>Intake channel</source>
        <translation>Hình thức nộp</translation>
    </message>
    <message>
        <source>Incoming postal item</source>
        <translation>Số hiệu bưu gửi đến</translation>
    </message>
    <message>
        <source>Result returned by</source>
        <translation>Hình thức trả kết quả</translation>
    </message>
    <message>
        <source>Deliver to</source>
        <translation>Gửi kết quả đến</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Sổ theo dõi hồ sơ</translation>
    </message>
    <message>
        <source>book {book}, no. {seq}</source>
        <translation>quyển số {book}, số thứ tự {seq}</translation>
    </message>
    <message>
        <source>Receiving officer</source>
        <translation>Cán bộ tiếp nhận</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <source>Appointment (receipt)</source>
        <translation>Hẹn trả (giấy hẹn)</translation>
    </message>
    <message>
        <source>Due by the rules</source>
        <translation>Hạn theo quy định</translation>
    </message>
    <message>
        <source>Result received</source>
        <translation>Nhận kết quả</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Tiến độ giải quyết</translation>
    </message>
    <message>
        <source>Reason for the delay</source>
        <translation>Lý do chậm trả</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Kết thúc</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>working days</source>
        <translation>ngày làm việc</translation>
    </message>
    <message>
        <source>working hours</source>
        <translation>giờ làm việc</translation>
    </message>
    <message>
        <source>days</source>
        <translation>ngày</translation>
    </message>
    <message>
        <source>(same day)</source>
        <translation>(trong ngày)</translation>
    </message>
    <message>
        <source>(no time limit)</source>
        <translation>(không quy định thời hạn)</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Giấy tiếp nhận</translation>
    </message>
    <message>
        <source>Open or reprint the receipt (Ctrl+Shift+P)</source>
        <translation>Mở hoặc in lại giấy tiếp nhận hồ sơ và hẹn trả kết quả (Ctrl+Shift+P)</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>Drive</source>
        <translation>Ổ đĩa</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Thư mục</translation>
    </message>
    <message>
        <source>{0} file</source>
        <translation>Tệp {0}</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>{0} belongs to a database in use. Choose another file.</source>
        <translation>{0} là tệp của một cơ sở dữ liệu đang được dùng. Hãy chọn tệp khác.</translation>
    </message>
</context>
<context>
    <name>FileListModel</name>
    <message>
        <source>File code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Chủ hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ngày nhận</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>Hẹn trả</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Thời gian còn lại</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
</context>
<context>
    <name>FilesBehindModel</name>
    <message>
        <source>File code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ngày nhận</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Hẹn trả</translation>
    </message>
    <message>
        <source>Original due</source>
        <translation>Hạn theo quy định</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>Có kết quả</translation>
    </message>
    <message>
        <source>The due set by the rules; on time and late are judged against it, not a rescheduled due</source>
        <translation>Hạn trả theo quy định; đúng hạn hay quá hạn được tính theo hạn này, không theo hạn đã hẹn lại</translation>
    </message>
</context>
<context>
    <name>FinancialDialog</name>
    <message>
        <source>The amount must be a whole number of đồng.</source>
        <translation>Số tiền phải là số đồng nguyên.</translation>
    </message>
    <message>
        <source>Financial obligation</source>
        <translation>Nghĩa vụ tài chính</translation>
    </message>
    <message>
        <source>Request payment</source>
        <translation>Yêu cầu thực hiện</translation>
    </message>
    <message>
        <source>Fee or tax to pay</source>
        <translation>Khoản phí, lệ phí hoặc thuế phải nộp</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Lý do (bắt buộc)</translation>
    </message>
    <message>
        <source>e.g. 1.500.000</source>
        <translation>ví dụ 1.500.000</translation>
    </message>
    <message>
        <source>Amount (VND)</source>
        <translation>Số tiền (đồng)</translation>
    </message>
    <message>
        <source>Requested at</source>
        <translation>Thời điểm yêu cầu</translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <source>Forward to the settling agency</source>
        <translation>Chuyển hồ sơ đến cơ quan giải quyết</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Chuyển hồ sơ</translation>
    </message>
    <message>
        <source>Settling agency</source>
        <translation>Cơ quan giải quyết</translation>
    </message>
    <message>
        <source>Handed over at</source>
        <translation>Thời điểm bàn giao</translation>
    </message>
    <message>
        <source>Handover control sheet</source>
        <translation>Phiếu kiểm soát quá trình giải quyết</translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <source>New service group</source>
        <translation>Thêm nhóm dịch vụ</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Đổi tên nhóm</translation>
    </message>
    <message>
        <source>e.g. B</source>
        <translation>ví dụ B</translation>
    </message>
    <message>
        <source>The letter is printed on the group&apos;s tickets.</source>
        <translation>Ký hiệu được in trên số thứ tự của nhóm.</translation>
    </message>
    <message>
        <source>e.g. Civil status, certification</source>
        <translation>ví dụ Hộ tịch, chứng thực</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>Ký hiệu</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên nhóm</translation>
    </message>
    <message>
        <source>Tickets are numbered per group and day: B001, B002… The letter is unique among the agency&apos;s groups that issue tickets; a retired group&apos;s letter can be used again from the day after its last ticket.</source>
        <translation>Số thứ tự đánh theo nhóm và ngày: B001, B002… Ký hiệu không trùng với nhóm đang cấp số của cơ quan; ký hiệu của nhóm đã ngừng được dùng lại từ ngày sau ngày nhóm cấp số lần cuối.</translation>
    </message>
</context>
<context>
    <name>GroupsTab</name>
    <message>
        <source>The hall&apos;s queue: applicants take a ticket for a group, and each counter calls the groups it serves (chosen on the counter&apos;s ticket menu).</source>
        <translation>Hàng đợi tại sảnh: người dân lấy số theo nhóm dịch vụ, mỗi quầy gọi số của các nhóm quầy phục vụ (chọn trong trình đơn số thứ tự của quầy).</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>Ký hiệu</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên nhóm</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Tickets issued</source>
        <translation>Số đã cấp</translation>
    </message>
    <message>
        <source>Last ticket</source>
        <translation>Cấp lần cuối</translation>
    </message>
    <message>
        <source>Add group…</source>
        <translation>Thêm nhóm…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Đổi tên…</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>Ngừng cấp số</translation>
    </message>
    <message>
        <source>The group issues no more tickets; its tickets and times are kept.</source>
        <translation>Nhóm không cấp số mới; các số đã cấp và thời gian vẫn được giữ.</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Mở lại</translation>
    </message>
    <message>
        <source>Issuing</source>
        <translation>Đang cấp số</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>Đã ngừng</translation>
    </message>
    <message>
        <source>Group {0} added.</source>
        <translation>Đã thêm nhóm {0}.</translation>
    </message>
    <message>
        <source>Group {0} renamed.</source>
        <translation>Đã đổi tên nhóm {0}.</translation>
    </message>
    <message>
        <source>Group {0} retired: it issues no more tickets; its history is kept.</source>
        <translation>Đã ngừng nhóm {0}: không cấp số mới; các số đã cấp vẫn được giữ.</translation>
    </message>
    <message>
        <source>Group {0} issues tickets again.</source>
        <translation>Nhóm {0} cấp số trở lại.</translation>
    </message>
</context>
<context>
    <name>HandOverDialog</name>
    <message>
        <source>Hand over to the post</source>
        <translation>Giao kết quả cho bưu chính</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>Giao bưu chính</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Người nhận</translation>
    </message>
    <message>
        <source>Delivery address</source>
        <translation>Địa chỉ nhận</translation>
    </message>
    <message>
        <source>e.g. RR123456785VN</source>
        <translation>ví dụ RR123456785VN</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>Số hiệu bưu gửi</translation>
    </message>
    <message>
        <source>e.g. 25.000</source>
        <translation>ví dụ 25.000</translation>
    </message>
    <message>
        <source>Postage (VND)</source>
        <translation>Cước (đồng)</translation>
    </message>
    <message>
        <source>Paid by</source>
        <translation>Người trả cước</translation>
    </message>
    <message>
        <source>Handed over at</source>
        <translation>Thời điểm giao</translation>
    </message>
    <message>
        <source>Check digit correct.</source>
        <translation>Chữ số kiểm tra đúng.</translation>
    </message>
</context>
<context>
    <name>HoursPage</name>
    <message>
        <source>Office hours</source>
        <translation>Giờ làm việc</translation>
    </message>
    <message>
        <source>Due dates are counted in these hours on working days.</source>
        <translation>Thời hạn được tính theo các giờ này trong ngày làm việc.</translation>
    </message>
    <message>
        <source>Sessions separated by commas, e.g. 07:00-11:30,13:30-17:00 (a morning and an afternoon).</source>
        <translation>Các buổi cách nhau bằng dấu phẩy, ví dụ 07:00-11:30,13:30-17:00 (buổi sáng và buổi chiều).</translation>
    </message>
    <message>
        <source>Same-day cut-off</source>
        <translation>Giờ chốt hồ sơ trong ngày</translation>
    </message>
    <message>
        <source>Same-day files received after this time are due the next working day.</source>
        <translation>Hồ sơ giải quyết trong ngày tiếp nhận sau giờ này được hẹn trả vào ngày làm việc tiếp theo.</translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <source>Desk identity</source>
        <translation>Thông tin đơn vị</translation>
    </message>
    <message>
        <source>These names are printed on receipts and slips; the identifier starts every file code.</source>
        <translation>Các tên này được in trên giấy tiếp nhận và các phiếu; mã định danh đứng đầu mọi mã hồ sơ.</translation>
    </message>
    <message>
        <source>e.g. UBND TỈNH LẠNG SƠN</source>
        <translation>ví dụ UBND TỈNH LẠNG SƠN</translation>
    </message>
    <message>
        <source>e.g. SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH</source>
        <translation>ví dụ SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH</translation>
    </message>
    <message>
        <source>e.g. 000.00.20.H37</source>
        <translation>ví dụ 000.00.20.H37</translation>
    </message>
    <message>
        <source>e.g. Lạng Sơn</source>
        <translation>ví dụ Lạng Sơn</translation>
    </message>
    <message>
        <source>Governing body</source>
        <translation>Cơ quan chủ quản</translation>
    </message>
    <message>
        <source>Agency name</source>
        <translation>Tên cơ quan</translation>
    </message>
    <message>
        <source>Unit name</source>
        <translation>Tên đơn vị</translation>
    </message>
    <message>
        <source>Agency identifier</source>
        <translation>Mã định danh cơ quan</translation>
    </message>
    <message>
        <source>Code of the agency (QCVN 102:2016), used in file codes.</source>
        <translation>Mã định danh của cơ quan (QCVN 102:2016), dùng trong mã hồ sơ.</translation>
    </message>
    <message>
        <source>Place name for dates</source>
        <translation>Địa danh ghi ngày tháng</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>Không được để trống.</translation>
    </message>
</context>
<context>
    <name>IndexModel</name>
    <message>
        <source>Group / figure</source>
        <translation>Nhóm / chỉ số</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Points / weight</source>
        <translation>Điểm / trọng số</translation>
    </message>
    <message>
        <source>How it is counted</source>
        <translation>Cách tính</translation>
    </message>
    <message>
        <source>The desk cannot compute this group&apos;s points.</source>
        <translation>Bộ phận một cửa không tính được điểm của nhóm này.</translation>
    </message>
    <message>
        <source>Total of the groups computed at the desk</source>
        <translation>Tổng các nhóm tính được tại bộ phận một cửa</translation>
    </message>
    <message>
        <source>Click to list the files behind this figure</source>
        <translation>Bấm để xem danh sách hồ sơ của chỉ số này</translation>
    </message>
</context>
<context>
    <name>IndexView</name>
    <message>
        <source>Compute the index for the period (Enter)</source>
        <translation>Tính chỉ số cho kỳ đã chọn (Enter)</translation>
    </message>
    <message>
        <source>Save the index as a PDF file</source>
        <translation>Lưu bảng chỉ số thành tệp PDF</translation>
    </message>
    <message>
        <source>Save the index as an Excel workbook</source>
        <translation>Lưu bảng chỉ số thành tệp Excel</translation>
    </message>
    <message>
        <source>Files have changed since this was computed; press Compute to refresh.</source>
        <translation>Hồ sơ đã thay đổi sau lần tổng hợp này; bấm Tổng hợp để cập nhật.</translation>
    </message>
    <message>
        <source>Close the list</source>
        <translation>Đóng danh sách</translation>
    </message>
    <message>
        <source>Double-click a file to open it in the main window</source>
        <translation>Bấm đúp vào hồ sơ để mở ở cửa sổ chính</translation>
    </message>
    <message>
        <source>{0} of {1} groups computed at the desk; weights: {2}.</source>
        <translation>Tính được {0}/{1} nhóm tại bộ phận một cửa; trọng số: {2}.</translation>
    </message>
    <message>
        <source>Files behind “{0}”: showing {1} of {2}.</source>
        <translation>Hồ sơ của chỉ số “{0}”: hiển thị {1} trên {2} hồ sơ.</translation>
    </message>
    <message>
        <source>Files behind “{0}”: {1}. Double-click one to open it.</source>
        <translation>Hồ sơ của chỉ số “{0}”: {1} hồ sơ. Bấm đúp để mở hồ sơ.</translation>
    </message>
    <message>
        <source>Save the index as PDF</source>
        <translation>Lưu bảng chỉ số thành PDF</translation>
    </message>
    <message>
        <source>Save the index as Excel</source>
        <translation>Lưu bảng chỉ số thành Excel</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>New file</source>
        <translation>Tiếp nhận hồ sơ mới</translation>
    </message>
    <message>
        <source>Accept file</source>
        <translation>Tiếp nhận hồ sơ</translation>
    </message>
    <message>
        <source>Ctrl+Enter: accept and open the receipt</source>
        <translation>Ctrl+Enter: tiếp nhận và mở giấy tiếp nhận</translation>
    </message>
    <message>
        <source>Request supplement…</source>
        <translation>Yêu cầu bổ sung…</translation>
    </message>
    <message>
        <source>Papers are missing: give a supplement request without accepting the file</source>
        <translation>Thiếu giấy tờ: lập phiếu yêu cầu bổ sung, chưa tiếp nhận hồ sơ</translation>
    </message>
    <message>
        <source>Refuse…</source>
        <translation>Từ chối…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Restore unsaved form?</source>
        <translation>Khôi phục phiếu chưa lưu?</translation>
    </message>
    <message>
        <source>An intake form was not saved last time (last change {0}). Restore what was typed?</source>
        <translation>Lần trước có một phiếu tiếp nhận chưa được lưu (sửa lần cuối {0}). Khôi phục nội dung đã nhập?</translation>
    </message>
    <message>
        <source>Discard this form?</source>
        <translation>Bỏ phiếu này?</translation>
    </message>
    <message>
        <source>The form has input that is not saved. Close it and discard the input?</source>
        <translation>Phiếu có nội dung chưa lưu. Đóng và bỏ nội dung đã nhập?</translation>
    </message>
    <message>
        <source>Papers without a scan: {0}. Assign a scan, or choose “Scan later” or why the paper is not scanned (with its reason).</source>
        <translation>Giấy tờ chưa có bản quét: {0}. Hãy gán bản quét, hoặc chọn “Số hóa sau” hay lý do không số hóa (ghi rõ lý do).</translation>
    </message>
    <message>
        <source>Write why these papers are not scanned: {0}.</source>
        <translation>Hãy ghi lý do không số hóa các giấy tờ: {0}.</translation>
    </message>
    <message>
        <source>Refuse the file</source>
        <translation>Từ chối tiếp nhận hồ sơ</translation>
    </message>
    <message>
        <source>Reason for refusing (printed on the refusal slip, required):</source>
        <translation>Lý do từ chối (in trên phiếu từ chối tiếp nhận, bắt buộc):</translation>
    </message>
    <message>
        <source>Lost the connection to the centre&apos;s database server ({0}); the file was not saved. The file you are entering is kept: once the connection is back, press {1} again.</source>
        <translation>Mất kết nối máy chủ cơ sở dữ liệu của Trung tâm ({0}); hồ sơ chưa được lưu. Hồ sơ đang nhập vẫn được giữ; khi kết nối lại, bấm {1} lần nữa.</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <source>As written on the identity card</source>
        <translation>Như ghi trên giấy tờ tùy thân</translation>
    </message>
    <message>
        <source>CCCD, CMND, passport or tax code</source>
        <translation>CCCD, CMND, hộ chiếu hoặc mã số thuế</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Không bắt buộc</translation>
    </message>
    <message>
        <source>Submitted by someone else</source>
        <translation>Người khác nộp thay</translation>
    </message>
    <message>
        <source>e.g. power of attorney no. 12/UQ of 01/03/2026</source>
        <translation>ví dụ Giấy ủy quyền số 12/UQ ngày 01/03/2026</translation>
    </message>
    <message>
        <source> VND</source>
        <translation> đồng</translation>
    </message>
    <message>
        <source>Change it for a file that arrived by post earlier</source>
        <translation>Sửa lại nếu hồ sơ đã đến qua bưu chính từ trước</translation>
    </message>
    <message>
        <source>Why it is entered only now (late entry)</source>
        <translation>Vì sao đến giờ mới nhập (nhập bổ sung)</translation>
    </message>
    <message>
        <source>Reason for late entry</source>
        <translation>Lý do nhập bổ sung</translation>
    </message>
    <message>
        <source>The applicant when empty</source>
        <translation>Để trống nếu là chủ hồ sơ</translation>
    </message>
    <message>
        <source>Agrees to notices about this file by e-mail</source>
        <translation>Đồng ý nhận thông báo về hồ sơ này qua thư điện tử</translation>
    </message>
    <message>
        <source>The applicant&apos;s address when empty</source>
        <translation>Để trống nếu là địa chỉ của chủ hồ sơ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Applicant (file owner)</source>
        <translation>Chủ hồ sơ</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Identity number</source>
        <translation>Số CCCD/định danh</translation>
    </message>
    <message>
        <source>Birth year</source>
        <translation>Năm sinh</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Thư điện tử</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Submitter</source>
        <translation>Người nộp hồ sơ</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Authorisation</source>
        <translation>Ủy quyền</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Documents received</source>
        <translation>Giấy tờ đã nhận</translation>
    </message>
    <message>
        <source>Number of sets</source>
        <translation>Số bộ hồ sơ</translation>
    </message>
    <message>
        <source>Fee collected</source>
        <translation>Phí, lệ phí đã thu</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>Thời điểm tiếp nhận</translation>
    </message>
    <message>
        <source>Intake channel and result</source>
        <translation>Hình thức nộp và nhận kết quả</translation>
    </message>
    <message>
        <source>Intake channel</source>
        <translation>Hình thức nộp</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>Người gửi</translation>
    </message>
    <message>
        <source>Postal item number</source>
        <translation>Số hiệu bưu gửi</translation>
    </message>
    <message>
        <source>Posted back to the applicant</source>
        <translation>Gửi trả người nộp qua bưu chính</translation>
    </message>
    <message>
        <source>Kept at the desk</source>
        <translation>Lưu tại Bộ phận Một cửa</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Giấy tiếp nhận</translation>
    </message>
    <message>
        <source>Result by</source>
        <translation>Nhận kết quả</translation>
    </message>
    <message>
        <source>Deliver to</source>
        <translation>Người nhận</translation>
    </message>
    <message>
        <source>Delivery address</source>
        <translation>Địa chỉ nhận</translation>
    </message>
    <message>
        <source>{0} working days</source>
        <translation>{0} ngày làm việc</translation>
    </message>
    <message>
        <source>{0} working hours</source>
        <translation>{0} giờ làm việc</translation>
    </message>
    <message>
        <source>{0} days</source>
        <translation>{0} ngày</translation>
    </message>
    <message>
        <source>Same day</source>
        <translation>Trong ngày</translation>
    </message>
    <message>
        <source>No time limit</source>
        <translation>Không quy định thời hạn</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>Thứ Hai</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Thứ Ba</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Thứ Tư</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Thứ Năm</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Thứ Sáu</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Thứ Bảy</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Chủ nhật</translation>
    </message>
    <message>
        <source>Appointment: no time limit</source>
        <translation>Hẹn trả: không quy định thời hạn</translation>
    </message>
    <message>
        <source>Appointment: {0}, {1} {2}</source>
        <translation>Hẹn trả: {0}, {1} ngày {2}</translation>
    </message>
    <message>
        <source>Processing time: —</source>
        <translation>Thời hạn giải quyết: —</translation>
    </message>
    <message>
        <source>Appointment: choose a procedure</source>
        <translation>Hẹn trả: hãy chọn thủ tục</translation>
    </message>
    <message>
        <source>Processing time: {0}</source>
        <translation>Thời hạn giải quyết: {0}</translation>
    </message>
    <message>
        <source>Usual fee: {0} VND</source>
        <translation>Phí theo danh mục: {0} đồng</translation>
    </message>
    <message>
        <source>Usual fee: none set</source>
        <translation>Phí theo danh mục: chưa có</translation>
    </message>
    <message>
        <source>Use details from an earlier file: {0}</source>
        <translation>Dùng thông tin từ hồ sơ trước: {0}</translation>
    </message>
    <message>
        <source>Latest file: {0}</source>
        <translation>Hồ sơ gần nhất: {0}</translation>
    </message>
</context>
<context>
    <name>MachineTab</name>
    <message>
        <source> min</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Không khóa</translation>
    </message>
    <message>
        <source>The screen locks after this many minutes without keyboard or mouse; 0 turns the lock off. Applies from the next sign-in or unlock.</source>
        <translation>Màn hình tự khóa sau số phút không dùng bàn phím hoặc chuột; 0 là tắt tự khóa. Áp dụng từ lần đăng nhập hoặc mở khóa tiếp theo.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Lock the screen after</source>
        <translation>Khóa màn hình sau</translation>
    </message>
    <message>
        <source>These settings belong to this computer, not to the whole desk.</source>
        <translation>Các cài đặt này chỉ áp dụng cho máy tính này, không áp dụng cho cả bộ phận.</translation>
    </message>
    <message>
        <source>The new language is used the next time the program starts.</source>
        <translation>Ngôn ngữ mới được dùng từ lần khởi động chương trình tiếp theo.</translation>
    </message>
    <message>
        <source>Centre&apos;s server (PostgreSQL)</source>
        <translation>Máy chủ của trung tâm (PostgreSQL)</translation>
    </message>
    <message>
        <source>e.g. Counter 3</source>
        <translation>ví dụ: Quầy 3</translation>
    </message>
    <message>
        <source>Shown on the status bar and recorded on the files received and the steps taken at this computer.</source>
        <translation>Hiện trên thanh trạng thái và được ghi vào các hồ sơ tiếp nhận, các bước xử lý thực hiện tại máy này.</translation>
    </message>
    <message>
        <source>none: scans are chosen or dropped by hand</source>
        <translation>chưa đặt: bản quét được chọn hoặc kéo thả</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <source>The folder this computer&apos;s scanner writes to: the intake form shows each new scan there as it lands, to be assigned to a paper. Never the database&apos;s folder.</source>
        <translation>Thư mục máy quét của máy này ghi tệp vào: mẫu tiếp nhận hiện từng bản quét mới ở đó ngay khi có, để gán vào giấy tờ. Không được là thư mục của cơ sở dữ liệu.</translation>
    </message>
    <message>
        <source>none: the kiosk offers the ticket&apos;s PDF</source>
        <translation>không có: máy lấy số đưa phiếu dạng PDF</translation>
    </message>
    <message>
        <source>The ESC/POS receipt printer the queue&apos;s kiosk prints tickets on: its address and port (e.g. 192.168.1.50:9100) or its device (e.g. /dev/usb/lp0).</source>
        <translation>Máy in hóa đơn (ESC/POS) mà máy lấy số in phiếu số thứ tự: địa chỉ và cổng (ví dụ 192.168.1.50:9100) hoặc thiết bị (ví dụ /dev/usb/lp0).</translation>
    </message>
    <message>
        <source>Serve the rating page for a tablet or phone</source>
        <translation>Phục vụ trang đánh giá cho máy tính bảng hoặc điện thoại</translation>
    </message>
    <message>
        <source>The applicant rates the service on a tablet or phone on the office network, paired with this counter by a code (toolbar: Rating tablet…). The page shows nothing about any file. Applies at once.</source>
        <translation>Người dân đánh giá sự phục vụ trên máy tính bảng hoặc điện thoại trong mạng nội bộ, ghép với quầy này bằng một mã (thanh công cụ: Máy tính bảng đánh giá…). Trang không hiện thông tin nào của hồ sơ. Áp dụng ngay.</translation>
    </message>
    <message>
        <source>Agencies this computer serves</source>
        <translation>Cơ quan máy này phục vụ</translation>
    </message>
    <message>
        <source>Officers sign in here for the ticked agencies they are assigned to. None ticked: every agency of this database. Applies from the next sign-in.</source>
        <translation>Cán bộ đăng nhập ở máy này làm việc cho các cơ quan được đánh dấu mà mình được phân công. Không đánh dấu cơ quan nào: máy phục vụ mọi cơ quan của cơ sở dữ liệu này. Áp dụng từ lần đăng nhập sau.</translation>
    </message>
    <message>
        <source>Counter name</source>
        <translation>Tên quầy</translation>
    </message>
    <message>
        <source>Scan folder</source>
        <translation>Thư mục quét</translation>
    </message>
    <message>
        <source>Rating tablet</source>
        <translation>Máy tính bảng đánh giá</translation>
    </message>
    <message>
        <source>Ticket printer</source>
        <translation>Máy in phiếu số thứ tự</translation>
    </message>
    <message>
        <source>e.g. csdl.trungtam.lan or 10.0.0.5</source>
        <translation>ví dụ csdl.trungtam.lan hoặc 10.0.0.5</translation>
    </message>
    <message>
        <source>Encrypted, server&apos;s certificate checked (verify-full)</source>
        <translation>Mã hóa, kiểm tra chứng thư của máy chủ (verify-full)</translation>
    </message>
    <message>
        <source>Encrypted, certificate not checked (require)</source>
        <translation>Mã hóa, không kiểm tra chứng thư (require)</translation>
    </message>
    <message>
        <source>Encrypted when the server offers it (prefer)</source>
        <translation>Mã hóa khi máy chủ hỗ trợ (prefer)</translation>
    </message>
    <message>
        <source>Not encrypted: server on this computer only (disable)</source>
        <translation>Không mã hóa: chỉ khi máy chủ ở ngay máy này (disable)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Use this computer&apos;s own database</source>
        <translation>Dùng cơ sở dữ liệu riêng của máy này</translation>
    </message>
    <message>
        <source>In a centre, every counter opens the centre&apos;s database on its server. Filled in, the window opens it at the next start; empty, this computer&apos;s own database file. The password is kept for your account on this computer only, never in the database or the settings file.</source>
        <translation>Ở trung tâm, mọi quầy mở cơ sở dữ liệu chung trên máy chủ của trung tâm. Khi điền, cửa sổ mở cơ sở dữ liệu đó từ lần khởi động sau; để trống, máy này dùng tệp cơ sở dữ liệu riêng của mình. Mật khẩu chỉ được giữ cho tài khoản của bạn trên máy này, không bao giờ ghi vào cơ sở dữ liệu hay tệp cài đặt.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Máy chủ</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Cổng</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Mã hóa</translation>
    </message>
    <message>
        <source>saved; type a new one to change it</source>
        <translation>đã lưu; gõ mật khẩu mới để đổi</translation>
    </message>
    <message>
        <source>Saved. The window opens {0} from the next start.</source>
        <translation>Đã lưu. Từ lần khởi động sau, cửa sổ mở {0}.</translation>
    </message>
    <message>
        <source>Saved. The window opens this computer&apos;s own database from the next start.</source>
        <translation>Đã lưu. Từ lần khởi động sau, cửa sổ mở cơ sở dữ liệu riêng của máy này.</translation>
    </message>
    <message>
        <source>Centre&apos;s server</source>
        <translation>Máy chủ của trung tâm</translation>
    </message>
    <message>
        <source>Open now</source>
        <translation>Đang mở</translation>
    </message>
    <message>
        <source>none: this computer&apos;s own database file</source>
        <translation>không có: dùng tệp cơ sở dữ liệu riêng của máy này</translation>
    </message>
    <message>
        <source>Check the connection</source>
        <translation>Kiểm tra kết nối</translation>
    </message>
    <message>
        <source>Connecting to {0}…</source>
        <translation>Đang kết nối tới {0}…</translation>
    </message>
    <message>
        <source>Connected. The database is empty: the window sets it up at its first start.</source>
        <translation>Đã kết nối. Cơ sở dữ liệu còn trống: cửa sổ sẽ khởi tạo nó ở lần mở đầu tiên.</translation>
    </message>
    <message>
        <source>Connected. The database holds a desk&apos;s register (schema {0}).</source>
        <translation>Đã kết nối. Cơ sở dữ liệu đang chứa sổ của Bộ phận Một cửa (lược đồ {0}).</translation>
    </message>
</context>
<context>
    <name>MailTab</name>
    <message>
        <source>The SMTP password is kept encrypted for the signed-in Windows user only (DPAPI), not in the desk&apos;s database.</source>
        <translation>Mật khẩu SMTP được mã hóa cho riêng người dùng Windows đang đăng nhập (DPAPI), không lưu trong cơ sở dữ liệu.</translation>
    </message>
    <message>
        <source>The SMTP password is kept in a file of the signed-in user&apos;s configuration folder that only this user may read (mode 0600), not in the desk&apos;s database.</source>
        <translation>Mật khẩu SMTP được lưu trong một tệp ở thư mục cấu hình của người dùng đang đăng nhập, chỉ người dùng này đọc được (quyền 0600), không lưu trong cơ sở dữ liệu.</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Send e-mail to applicants who agreed</source>
        <translation>Gửi thư điện tử cho người nộp hồ sơ đã đồng ý</translation>
    </message>
    <message>
        <source>STARTTLS (port 587)</source>
        <translation>STARTTLS (cổng 587)</translation>
    </message>
    <message>
        <source>SSL/TLS (port 465)</source>
        <translation>SSL/TLS (cổng 465)</translation>
    </message>
    <message>
        <source>None (port 25, inside the office network only)</source>
        <translation>Không mã hóa (cổng 25, chỉ trong mạng nội bộ)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>An address to send a test message to</source>
        <translation>Địa chỉ nhận thư thử</translation>
    </message>
    <message>
        <source>Send a test message</source>
        <translation>Gửi thư thử</translation>
    </message>
    <message>
        <source>Queue the failed messages again</source>
        <translation>Xếp lại các thư gửi lỗi để gửi lại</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Thư</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Người nhận</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Số lần gửi</translation>
    </message>
    <message>
        <source>Next try / sent</source>
        <translation>Lần gửi tới / đã gửi</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Lỗi gần nhất</translation>
    </message>
    <message>
        <source>Applicants who give an address and agree at the counter receive a short message when the file is received (the receipt attached), when papers are missing (the request attached), when the result is ready, and with an apology and a new date (the letter attached). Failed messages are tried again after 1, 2, 4… minutes, eight times at most.</source>
        <translation>Người nộp hồ sơ cho địa chỉ thư điện tử và đồng ý tại quầy sẽ nhận thư ngắn khi hồ sơ được tiếp nhận (kèm giấy tiếp nhận), khi cần bổ sung giấy tờ (kèm phiếu yêu cầu), khi có kết quả, và khi có thư xin lỗi với ngày hẹn mới (kèm thư). Thư gửi lỗi được gửi lại sau 1, 2, 4… phút, tối đa tám lần.</translation>
    </message>
    <message>
        <source>SMTP server</source>
        <translation>Máy chủ SMTP</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Máy chủ</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Cổng</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Mã hóa</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Sender address</source>
        <translation>Địa chỉ người gửi</translation>
    </message>
    <message>
        <source>Sender name</source>
        <translation>Tên người gửi</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Thử</translation>
    </message>
    <message>
        <source>A password is stored on this computer; type a new one to replace it</source>
        <translation>Đã lưu mật khẩu trên máy này; nhập mật khẩu mới để thay</translation>
    </message>
    <message>
        <source>Kept on this computer for the signed-in user, not in the database</source>
        <translation>Lưu trên máy này cho người dùng đang đăng nhập, không lưu trong cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>Waiting {0} · failed {1} · sent {2} · last sent {3}</source>
        <translation>Chờ gửi {0} · lỗi {1} · đã gửi {2} · gửi lần cuối {3}</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>Sending a test message…</source>
        <translation>Đang gửi thư thử…</translation>
    </message>
    <message>
        <source>The test message was sent to {0}.</source>
        <translation>Đã gửi thư thử đến {0}.</translation>
    </message>
    <message>
        <source>{0} messages queued again.</source>
        <translation>Đã xếp lại {0} thư để gửi lại.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>One-stop desk</source>
        <translation>Bộ phận Một cửa</translation>
    </message>
    <message>
        <source>File code (scan or type) + Enter, or a name, identity number, phone</source>
        <translation>Mã hồ sơ (quét hoặc nhập) + Enter, hoặc họ tên, số CCCD, số điện thoại</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Thanh công cụ chính</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Đã khóa màn hình</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Đã đăng xuất</translation>
    </message>
    <message>
        <source>New file</source>
        <translation>Hồ sơ mới</translation>
    </message>
    <message>
        <source>Import delivery results…</source>
        <translation>Nhập kết quả phát của bưu chính…</translation>
    </message>
    <message>
        <source>Hand-over list for a day…</source>
        <translation>Bảng kê giao bưu chính trong ngày…</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>Bưu chính</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <source>Outbox and state…</source>
        <translation>Hàng đợi gửi và tình trạng…</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>Deadlines and statistics</source>
        <translation>Theo dõi, thống kê</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Rating screen</source>
        <translation>Màn hình đánh giá</translation>
    </message>
    <message>
        <source>Rating tablet…</source>
        <translation>Máy tính bảng đánh giá…</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Database: {0}</source>
        <translation>Cơ sở dữ liệu: {0}</translation>
    </message>
    <message>
        <source>Signed in: {name} ({role})</source>
        <translation>Đăng nhập: {name} ({role})</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>{0} files</source>
        <translation>{0} hồ sơ</translation>
    </message>
    <message>
        <source>No file matches “{0}”.</source>
        <translation>Không có hồ sơ nào khớp với “{0}”.</translation>
    </message>
    <message>
        <source>Hand-over list for the post</source>
        <translation>Bảng kê giao bưu chính</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Ngày</translation>
    </message>
</context>
<context>
    <name>MomentDialog</name>
    <message>
        <source>Supplement received</source>
        <translation>Nhận hồ sơ bổ sung</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Ghi nhận</translation>
    </message>
    <message>
        <source>Papers received at</source>
        <translation>Thời điểm nhận giấy tờ</translation>
    </message>
    <message>
        <source>Financial obligation fulfilled</source>
        <translation>Đã thực hiện nghĩa vụ tài chính</translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation>Thời điểm nộp</translation>
    </message>
    <message>
        <source>Result received from the agency</source>
        <translation>Nhận kết quả từ cơ quan giải quyết</translation>
    </message>
    <message>
        <source>Result received at</source>
        <translation>Thời điểm nhận kết quả</translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <source>No connection to the centre&apos;s server ({0}) since {1}: nothing can be saved, what you type is kept. Reconnecting…</source>
        <translation>Mất kết nối máy chủ Trung tâm ({0}) từ {1}: chưa lưu được gì, những gì đang nhập vẫn được giữ. Đang tự kết nối lại…</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Thử lại ngay</translation>
    </message>
    <message>
        <source>Lost the connection to the centre&apos;s database server ({0}) at {1}. Nothing can be saved until it is back; what you are typing is kept, save it again then. The numbers on screen are from before and are not current. Reconnecting on its own… If this lasts, check the network cable or ask the server&apos;s administrator.</source>
        <translation>Mất kết nối máy chủ cơ sở dữ liệu của Trung tâm ({0}) lúc {1}. Chưa lưu được gì cho đến khi kết nối lại; những gì đang nhập vẫn được giữ, khi đó hãy lưu lại. Số liệu trên màn hình là của lúc trước, chưa cập nhật. Đang tự kết nối lại… Nếu kéo dài, hãy kiểm tra dây mạng hoặc hỏi người quản trị máy chủ.</translation>
    </message>
</context>
<context>
    <name>OutcomeDialog</name>
    <message>
        <source>Delivered by post</source>
        <translation>Bưu chính đã phát thành công</translation>
    </message>
    <message>
        <source>Record delivery</source>
        <translation>Ghi nhận đã phát</translation>
    </message>
    <message>
        <source>Delivery attempt failed</source>
        <translation>Phát không thành công</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Ghi nhận</translation>
    </message>
    <message>
        <source>Returned to sender</source>
        <translation>Chuyển hoàn</translation>
    </message>
    <message>
        <source>Record return</source>
        <translation>Ghi nhận chuyển hoàn</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>Số hiệu bưu gửi</translation>
    </message>
    <message>
        <source>{number} (handed over {at})</source>
        <translation>{number} (giao lúc {at})</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Người nhận</translation>
    </message>
    <message>
        <source>Signed for by</source>
        <translation>Người ký nhận</translation>
    </message>
    <message>
        <source>Delivered at</source>
        <translation>Thời điểm phát</translation>
    </message>
    <message>
        <source>e.g. nobody at home, wrong address</source>
        <translation>ví dụ không có người nhận, sai địa chỉ</translation>
    </message>
    <message>
        <source>e.g. address not found, refused by the recipient</source>
        <translation>ví dụ không tìm thấy địa chỉ, người nhận từ chối</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Lý do (bắt buộc)</translation>
    </message>
    <message>
        <source>Attempted at</source>
        <translation>Thời điểm phát</translation>
    </message>
    <message>
        <source>Returned at</source>
        <translation>Thời điểm chuyển hoàn</translation>
    </message>
    <message>
        <source>The result is back at the desk: call the applicant, then hand it over again or return it at the counter.</source>
        <translation>Kết quả đã quay về Bộ phận Một cửa: hãy gọi cho người nộp, rồi gửi lại qua bưu chính hoặc trả tại quầy.</translation>
    </message>
</context>
<context>
    <name>PageViewer</name>
    <message>
        <source>Previous page (PgUp)</source>
        <translation>Trang trước (PgUp)</translation>
    </message>
    <message>
        <source>Next page (PgDown)</source>
        <translation>Trang sau (PgDown)</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Thu nhỏ</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Vừa khung</translation>
    </message>
    <message>
        <source>Zoom to fit the page</source>
        <translation>Thu phóng vừa cả trang</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Phóng to</translation>
    </message>
    <message>
        <source>↺ Left</source>
        <translation>↺ Trái</translation>
    </message>
    <message>
        <source>Turn the page a quarter to the left</source>
        <translation>Xoay trang 90° sang trái</translation>
    </message>
    <message>
        <source>↻ Right</source>
        <translation>↻ Phải</translation>
    </message>
    <message>
        <source>Turn the page a quarter to the right</source>
        <translation>Xoay trang 90° sang phải</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Gỡ trang</translation>
    </message>
    <message>
        <source>Take this page off the line</source>
        <translation>Gỡ trang này khỏi giấy tờ</translation>
    </message>
    <message>
        <source>Choose a line to see its scanned pages.</source>
        <translation>Chọn một giấy tờ để xem các trang đã quét.</translation>
    </message>
    <message>
        <source>No page scanned for this line yet.</source>
        <translation>Giấy tờ này chưa có trang quét nào.</translation>
    </message>
    <message>
        <source>Loading the page…</source>
        <translation>Đang tải trang…</translation>
    </message>
    <message>
        <source>Page {0} of this line is missing from the page store (deleted or moved). Restore the pages from a backup, or remove the page and scan the paper again.</source>
        <translation>Trang {0} của giấy tờ này không còn trong kho lưu trữ (đã bị xóa hoặc di chuyển). Hãy phục hồi các trang từ bản sao lưu, hoặc gỡ trang này và quét lại giấy tờ.</translation>
    </message>
    <message>
        <source>Page {0} of {1}</source>
        <translation>Trang {0}/{1}</translation>
    </message>
    <message>
        <source>Remove the page</source>
        <translation>Gỡ trang</translation>
    </message>
    <message>
        <source>Remove page {0} of {1} from “{2}”? A line left without pages is to scan again.</source>
        <translation>Gỡ trang {0}/{1} khỏi “{2}”? Giấy tờ không còn trang nào sẽ trở lại chờ số hóa.</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Print…</source>
        <translation>In…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Lưu PDF…</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Phóng to</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Thu nhỏ</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>Vừa chiều rộng</translation>
    </message>
    <message>
        <source>Page %1</source>
        <translation>Trang %1</translation>
    </message>
    <message>
        <source>This document has no pages.</source>
        <translation>Tài liệu này không có trang nào.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>Trang %1/%2</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>In</translation>
    </message>
    <message>
        <source>Cannot print</source>
        <translation>Không in được</translation>
    </message>
    <message>
        <source>The printer %1 could not be started.</source>
        <translation>Không khởi động được máy in %1.</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Lưu PDF</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>Tài liệu PDF (*.pdf)</translation>
    </message>
</context>
<context>
    <name>PeriodChooser</name>
    <message>
        <source>Month</source>
        <translation>Tháng</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>Quý</translation>
    </message>
    <message>
        <source>Half-year</source>
        <translation>6 tháng</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <source>Custom dates</source>
        <translation>Tùy chọn ngày</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ báo cáo</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Đến</translation>
    </message>
    <message>
        <source>Month {0}</source>
        <translation>Tháng {0}</translation>
    </message>
    <message>
        <source>Quarter {0}</source>
        <translation>Quý {0}</translation>
    </message>
    <message>
        <source>First half</source>
        <translation>6 tháng đầu năm</translation>
    </message>
    <message>
        <source>Second half</source>
        <translation>6 tháng cuối năm</translation>
    </message>
</context>
<context>
    <name>PeriodPage</name>
    <message>
        <source>Compute</source>
        <translation>Tổng hợp</translation>
    </message>
    <message>
        <source>Choose a period and press Compute (Enter).</source>
        <translation>Chọn kỳ báo cáo rồi bấm Tổng hợp (Enter).</translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>Excel…</source>
        <translation>Excel…</translation>
    </message>
    <message>
        <source>Group by</source>
        <translation>Nhóm theo</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Đang tính…</translation>
    </message>
    <message>
        <source>From {0} to {1}</source>
        <translation>Từ ngày {0} đến ngày {1}</translation>
    </message>
    <message>
        <source>, counted as of {0}</source>
        <translation>, số liệu tính đến {0}</translation>
    </message>
    <message>
        <source>Saved to {0}</source>
        <translation>Đã lưu vào {0}</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>PostalImportDialog</name>
    <message>
        <source>Import delivery results from the post</source>
        <translation>Nhập kết quả phát của bưu chính</translation>
    </message>
    <message>
        <source>Paste the post office&apos;s list (tracking number, outcome, date, signed by, note; one item per line, separated by tabs or semicolons; a header line is optional) or choose a CSV or Excel file. Nothing is applied if any line is refused.</source>
        <translation>Dán danh sách của bưu điện (số hiệu bưu gửi, kết quả, ngày, người ký nhận, ghi chú; mỗi dòng một bưu gửi, cách nhau bằng dấu tab hoặc dấu chấm phẩy; có thể có dòng tiêu đề) hoặc chọn tệp CSV, Excel. Nếu có dòng bị từ chối thì không dòng nào được ghi nhận.</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <source>Pasted text</source>
        <translation>Nội dung dán vào</translation>
    </message>
    <message>
        <source>RR123456785VN; delivered; 02/03/2026 15:30; Nguyễn Văn A</source>
        <translation>RR123456785VN; đã phát; 02/03/2026 15:30; Nguyễn Văn A</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Dòng</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>Số hiệu bưu gửi</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Kết quả phát</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>Người ký nhận</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Ghi nhận</translation>
    </message>
    <message>
        <source>Choose the post office&apos;s list</source>
        <translation>Chọn danh sách của bưu điện</translation>
    </message>
    <message>
        <source>Lists (*.csv *.xlsx *.txt);;All files (*)</source>
        <translation>Danh sách (*.csv *.xlsx *.txt);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>File: {0}</source>
        <translation>Tệp: {0}</translation>
    </message>
    <message>
        <source>The list has no lines to apply.</source>
        <translation>Danh sách không có dòng nào để ghi nhận.</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) read.</source>
        <translation>
            <numerusform>Đã đọc %n dòng.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tracking number(s) match no file (marked ?).</source>
        <translation>
            <numerusform>%n số hiệu không thuộc hồ sơ nào (đánh dấu ?).</numerusform>
        </translation>
    </message>
    <message>
        <source>Check them, then press Apply.</source>
        <translation>Hãy kiểm tra rồi bấm Ghi nhận.</translation>
    </message>
    <message numerus="yes">
        <source>The list cannot be read: %n line(s) are wrong.</source>
        <translation>
            <numerusform>Không đọc được danh sách: %n dòng bị sai.</numerusform>
        </translation>
    </message>
    <message>
        <source>The list cannot be read.</source>
        <translation>Không đọc được danh sách.</translation>
    </message>
    <message numerus="yes">
        <source>Applied %n result(s); the listed files are updated.</source>
        <translation>
            <numerusform>Đã ghi nhận %n kết quả; các hồ sơ trong danh sách đã được cập nhật.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing was applied: %n line(s) refused. Correct the list and apply again.</source>
        <translation>
            <numerusform>Chưa ghi nhận dòng nào: %n dòng bị từ chối. Hãy sửa danh sách rồi ghi nhận lại.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was applied.</source>
        <translation>Chưa ghi nhận dòng nào.</translation>
    </message>
</context>
<context>
    <name>ProcedureDialog</name>
    <message>
        <source>New procedure</source>
        <translation>Thủ tục mới</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Count the time again after a supplement</source>
        <translation>Tính lại thời hạn từ đầu sau khi bổ sung hồ sơ</translation>
    </message>
    <message>
        <source>VND; empty when there is no single fee</source>
        <translation>Đồng; để trống nếu không có mức phí cố định</translation>
    </message>
    <message>
        <source>Same-day only; empty for the desk&apos;s cut-off</source>
        <translation>Chỉ cho thủ tục trong ngày; để trống để dùng giờ chốt của đơn vị</translation>
    </message>
    <message>
        <source>In use (offered at intake)</source>
        <translation>Đang áp dụng (có trong danh sách khi tiếp nhận)</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã thủ tục</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên thủ tục</translation>
    </message>
    <message>
        <source>Field of work</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <source>Settling agency</source>
        <translation>Cơ quan giải quyết</translation>
    </message>
    <message>
        <source>Processing time</source>
        <translation>Thời hạn giải quyết</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>Phí, lệ phí</translation>
    </message>
    <message>
        <source>Fee note</source>
        <translation>Ghi chú về phí</translation>
    </message>
    <message>
        <source>Cut-off</source>
        <translation>Giờ chốt</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Thành phần hồ sơ</translation>
    </message>
    <message>
        <source>To verify</source>
        <translation>Nội dung cần kiểm tra</translation>
    </message>
</context>
<context>
    <name>ProcedurePicker</name>
    <message>
        <source>Type a code or part of the name, then Enter</source>
        <translation>Nhập mã hoặc một phần tên thủ tục, rồi nhấn Enter</translation>
    </message>
</context>
<context>
    <name>QueueListModel</name>
    <message>
        <source>Counted at {0}; not current: the centre&apos;s server cannot be reached.</source>
        <translation>Số liệu đếm lúc {0}; chưa cập nhật: không kết nối được máy chủ của Trung tâm.</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Group / officer</source>
        <translation>Nhóm dịch vụ / cán bộ</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Đã cấp</translation>
    </message>
    <message>
        <source>Served</source>
        <translation>Đã phục vụ</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Wait, mean (min)</source>
        <translation>Chờ TB (phút)</translation>
    </message>
    <message>
        <source>Wait, p90 (min)</source>
        <translation>Chờ P90 (phút)</translation>
    </message>
    <message>
        <source>Service, mean (min)</source>
        <translation>Phục vụ TB (phút)</translation>
    </message>
    <message>
        <source>Service, p90 (min)</source>
        <translation>Phục vụ P90 (phút)</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Tổng cộng</translation>
    </message>
    <message>
        <source>From the ticket&apos;s issue to its call by a counter</source>
        <translation>Từ lúc cấp số đến lúc quầy gọi số</translation>
    </message>
    <message>
        <source>From the call to the next call or the file saved (skipped tickets left out)</source>
        <translation>Từ lúc gọi số đến lần gọi số tiếp hoặc lúc lưu hồ sơ (không tính số bị bỏ qua)</translation>
    </message>
    <message>
        <source>Nine tickets in ten took no longer than this</source>
        <translation>90% số lượt không quá số phút này</translation>
    </message>
    <message>
        <source>Counted per group: a ticket is nobody&apos;s until called</source>
        <translation>Tính theo nhóm: số thứ tự chưa thuộc cán bộ nào cho đến khi được gọi</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <source>Count the tickets of the period (Enter)</source>
        <translation>Tổng hợp số thứ tự đã cấp trong kỳ (Enter)</translation>
    </message>
    <message>
        <source>Tickets issued or called since this was computed; press Compute to refresh.</source>
        <translation>Có số thứ tự được cấp hoặc gọi sau lần tổng hợp này; bấm Tổng hợp để cập nhật.</translation>
    </message>
    <message>
        <source>Save the queue&apos;s figures as a PDF file</source>
        <translation>Lưu số liệu hàng đợi thành tệp PDF</translation>
    </message>
    <message>
        <source>Save the queue&apos;s figures as an Excel workbook</source>
        <translation>Lưu số liệu hàng đợi thành tệp Excel</translation>
    </message>
    <message>
        <source>Mean minutes by group</source>
        <translation>Số phút trung bình theo nhóm</translation>
    </message>
    <message>
        <source>No ticket was issued in this period.</source>
        <translation>Không có số thứ tự nào được cấp trong kỳ.</translation>
    </message>
    <message>
        <source>{0} tickets issued, {1} served, {2} skipped, {3} not called; mean wait {4} min, mean service {5} min.</source>
        <translation>{0} số đã cấp, {1} đã phục vụ, {2} bỏ qua, {3} không được gọi; chờ trung bình {4} phút, phục vụ trung bình {5} phút.</translation>
    </message>
    <message>
        <source>The chart shows the {0} groups with the most tickets.</source>
        <translation>Biểu đồ thể hiện {0} nhóm có nhiều số thứ tự nhất.</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Chờ</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Phục vụ</translation>
    </message>
    <message>
        <source>Save the queue&apos;s figures as PDF</source>
        <translation>Lưu số liệu hàng đợi thành PDF</translation>
    </message>
    <message>
        <source>Save the queue&apos;s figures as Excel</source>
        <translation>Lưu số liệu hàng đợi thành Excel</translation>
    </message>
</context>
<context>
    <name>RatingTablet</name>
    <message>
        <source>The rating page could not listen on port {0}: {1}</source>
        <translation>Trang đánh giá không mở được cổng {0}: {1}</translation>
    </message>
</context>
<context>
    <name>RecordResultDialog</name>
    <message>
        <source>Choose…</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <source>Result&apos;s scan</source>
        <translation>Bản quét kết quả</translation>
    </message>
    <message>
        <source>None yet: the file waits in “Chờ số hóa” until it is scanned</source>
        <translation>Chưa có: hồ sơ nằm trong “Chờ số hóa” đến khi được quét</translation>
    </message>
</context>
<context>
    <name>RescheduleDialog</name>
    <message>
        <source>Reschedule with apology</source>
        <translation>Xin lỗi và hẹn lại ngày trả kết quả</translation>
    </message>
    <message>
        <source>Reschedule and print</source>
        <translation>Hẹn lại và in phiếu</translation>
    </message>
    <message>
        <source>(no appointment)</source>
        <translation>(chưa có ngày hẹn)</translation>
    </message>
    <message>
        <source>Current appointment</source>
        <translation>Ngày hẹn hiện tại</translation>
    </message>
    <message>
        <source>New appointment</source>
        <translation>Ngày hẹn mới</translation>
    </message>
    <message>
        <source>Why the result will be late</source>
        <translation>Lý do chậm trả kết quả</translation>
    </message>
    <message>
        <source>Reason for the delay (required)</source>
        <translation>Lý do chậm trễ (bắt buộc)</translation>
    </message>
</context>
<context>
    <name>RescheduleManyDialog</name>
    <message>
        <source>Reschedule with apology</source>
        <translation>Xin lỗi và hẹn lại ngày trả kết quả</translation>
    </message>
    <message>
        <source>Reschedule and print</source>
        <translation>Hẹn lại và in phiếu</translation>
    </message>
    <message>
        <source>New appointment</source>
        <translation>Ngày hẹn mới</translation>
    </message>
    <message>
        <source>Why the results will be late</source>
        <translation>Lý do chậm trả kết quả</translation>
    </message>
    <message>
        <source>Reason for the delay (required)</source>
        <translation>Lý do chậm trễ (bắt buộc)</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>Return the result at the counter</source>
        <translation>Trả kết quả tại Bộ phận Một cửa</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Trả kết quả</translation>
    </message>
    <message>
        <source>Received by (required)</source>
        <translation>Người nhận (bắt buộc)</translation>
    </message>
    <message>
        <source>Identity paper number</source>
        <translation>Số giấy tờ tùy thân</translation>
    </message>
    <message>
        <source>Optional: CCCD, CMND or passport</source>
        <translation>Không bắt buộc: CCCD, CMND hoặc hộ chiếu</translation>
    </message>
    <message>
        <source>Returned at</source>
        <translation>Thời điểm trả</translation>
    </message>
</context>
<context>
    <name>SatisfactionModel</name>
    <message>
        <source>Group</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>Rất hài lòng</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>Hài lòng</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>Không hài lòng</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>Tổng lượt đánh giá</translation>
    </message>
    <message>
        <source>Satisfied (%)</source>
        <translation>Tỷ lệ hài lòng (%)</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ phục vụ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục hành chính</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Loại phục vụ</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Tổng cộng</translation>
    </message>
    <message>
        <source>Very satisfied and satisfied over the ratings given</source>
        <translation>Rất hài lòng và hài lòng trên tổng lượt đánh giá</translation>
    </message>
</context>
<context>
    <name>SatisfactionView</name>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Loại phục vụ</translation>
    </message>
    <message>
        <source>Count the ratings of the period (Enter)</source>
        <translation>Tổng hợp các lượt đánh giá trong kỳ (Enter)</translation>
    </message>
    <message>
        <source>Save the ratings as a PDF file</source>
        <translation>Lưu kết quả đánh giá thành tệp PDF</translation>
    </message>
    <message>
        <source>Save the ratings as an Excel workbook</source>
        <translation>Lưu kết quả đánh giá thành tệp Excel</translation>
    </message>
    <message>
        <source>New ratings or files since this was computed; press Compute to refresh.</source>
        <translation>Có đánh giá hoặc hồ sơ mới sau lần tổng hợp này; bấm Tổng hợp để cập nhật.</translation>
    </message>
    <message>
        <source>Ratings by level</source>
        <translation>Số lượt đánh giá theo mức độ</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>No rating was given in this period.</source>
        <translation>Không có lượt đánh giá nào trong kỳ.</translation>
    </message>
    <message>
        <source>{0} ratings given; {1} services not rated.</source>
        <translation>{0} lượt đánh giá; {1} lượt phục vụ không được đánh giá.</translation>
    </message>
    <message>
        <source>The chart shows the {0} groups with the most ratings.</source>
        <translation>Biểu đồ thể hiện {0} nhóm có nhiều lượt đánh giá nhất.</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>Rất hài lòng</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>Hài lòng</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>Không hài lòng</translation>
    </message>
    <message>
        <source>{0}: very satisfied {1}, satisfied {2}, dissatisfied {3}</source>
        <translation>{0}: rất hài lòng {1}, hài lòng {2}, không hài lòng {3}</translation>
    </message>
    <message>
        <source>Save the ratings as PDF</source>
        <translation>Lưu kết quả đánh giá thành PDF</translation>
    </message>
    <message>
        <source>Save the ratings as Excel</source>
        <translation>Lưu kết quả đánh giá thành Excel</translation>
    </message>
</context>
<context>
    <name>ScanLinesModel</name>
    <message>
        <source>Paper</source>
        <translation>Giấy tờ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Trang</translation>
    </message>
    <message>
        <source>To scan</source>
        <translation>Chờ số hóa</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n trang</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ScanLinesTab</name>
    <message>
        <source>Attach scans</source>
        <translation>Đính kèm bản quét</translation>
    </message>
    <message>
        <source>Attach scans…</source>
        <translation>Đính kèm bản quét…</translation>
    </message>
    <message>
        <source>Choose PDF, JPEG, PNG or TIFF files for the chosen paper (or drop them here)</source>
        <translation>Chọn tệp PDF, JPEG, PNG hoặc TIFF cho giấy tờ đang chọn (hoặc kéo thả vào đây)</translation>
    </message>
    <message>
        <source>No scan / later…</source>
        <translation>Không quét / quét sau…</translation>
    </message>
    <message>
        <source>Record one of the four exceptions with its reason, or scan later</source>
        <translation>Ghi một trong bốn trường hợp không số hóa kèm lý do, hoặc số hóa sau</translation>
    </message>
    <message>
        <source>or drop files here</source>
        <translation>hoặc kéo thả tệp vào đây</translation>
    </message>
    <message>
        <source>Drop scans here to attach them to the chosen paper.</source>
        <translation>Kéo thả bản quét vào đây để đính kèm vào giấy tờ đang chọn.</translation>
    </message>
</context>
<context>
    <name>ScanPanel</name>
    <message>
        <source>Scans</source>
        <translation>Bản quét</translation>
    </message>
    <message>
        <source>Double-click a scan (or press Enter) to assign it to the current paper; Delete takes it off the list</source>
        <translation>Nhấp đúp vào bản quét (hoặc nhấn Enter) để gán vào giấy tờ đang chọn; phím Delete gỡ bản quét khỏi danh sách</translation>
    </message>
    <message>
        <source>Remove from the list</source>
        <translation>Gỡ khỏi danh sách</translation>
    </message>
    <message>
        <source>Assign to paper</source>
        <translation>Gán vào dòng</translation>
    </message>
    <message>
        <source>Choose files…</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <source>Remove scans</source>
        <translation>Gỡ bản quét</translation>
    </message>
    <message>
        <source>Take the scans off the current paper</source>
        <translation>Gỡ các bản quét khỏi giấy tờ đang chọn</translation>
    </message>
    <message>
        <source>Scanned now</source>
        <translation>Quét ngay</translation>
    </message>
    <message>
        <source>Scan later</source>
        <translation>Số hóa sau</translation>
    </message>
    <message>
        <source>Shown only, handed back</source>
        <translation>Chỉ xuất trình, trả lại ngay</translation>
    </message>
    <message>
        <source>Produced during processing</source>
        <translation>Hình thành trong quá trình giải quyết</translation>
    </message>
    <message>
        <source>Confidential</source>
        <translation>Tài liệu mật</translation>
    </message>
    <message>
        <source>Reason (required when not scanned)</source>
        <translation>Lý do (bắt buộc khi không số hóa)</translation>
    </message>
    <message>
        <source>Scan the rest later</source>
        <translation>Còn lại: số hóa sau</translation>
    </message>
    <message>
        <source>Every received paper still without a scan or a reason: scan later</source>
        <translation>Mọi giấy tờ đã nhận chưa có bản quét hay lý do: số hóa sau</translation>
    </message>
    <message>
        <source>New scans from {0}</source>
        <translation>Bản quét mới từ {0}</translation>
    </message>
    <message>
        <source>Files can also be dropped here or chosen.</source>
        <translation>Cũng có thể kéo thả tệp vào đây hoặc chọn tệp.</translation>
    </message>
    <message>
        <source>Drop scans here or choose files. A scan folder (Settings › This computer) lists the scanner&apos;s new files by itself.</source>
        <translation>Kéo thả bản quét vào đây hoặc chọn tệp. Đặt thư mục quét (Cài đặt › Máy này) để các tệp mới của máy quét tự hiện ra.</translation>
    </message>
    <message>
        <source>{0} is on paper {1}: take it off the paper first.</source>
        <translation>{0} đang gắn với giấy tờ {1}: hãy gỡ khỏi giấy tờ đó trước.</translation>
    </message>
    <message>
        <source>No paper to scan: choose a procedure first.</source>
        <translation>Chưa có giấy tờ để quét: hãy chọn thủ tục trước.</translation>
    </message>
    <message>
        <source>Paper {0}: {1}</source>
        <translation>Giấy tờ {0}: {1}</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>không đọc được</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n trang</numerusform>
        </translation>
    </message>
    <message>
        <source>→ paper {0}</source>
        <translation>→ giấy tờ {0}</translation>
    </message>
</context>
<context>
    <name>ScanStateDialog</name>
    <message>
        <source>No scan for this paper</source>
        <translation>Không quét giấy tờ này</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Ghi nhận</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>Giấy tờ</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Trường hợp</translation>
    </message>
    <message>
        <source>Required for an exception: what the paper is and why it is not scanned</source>
        <translation>Bắt buộc với trường hợp ngoại lệ: giấy tờ gì và vì sao không số hóa</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Lịch làm việc</translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Hàng đợi</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Thư điện tử</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Máy tính này</translation>
    </message>
    <message>
        <source>The desk&apos;s identity, users, calendar, procedures and sync are changed by an administrator.</source>
        <translation>Thông tin đơn vị, người dùng, lịch làm việc, danh mục thủ tục và đồng bộ do quản trị viên thay đổi.</translation>
    </message>
    <message>
        <source>Agencies</source>
        <translation>Cơ quan</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Saving the settings…</source>
        <translation>Đang lưu thiết lập…</translation>
    </message>
    <message>
        <source>Adding {0} demo files…</source>
        <translation>Đang thêm {0} hồ sơ mẫu…</translation>
    </message>
    <message>
        <source>Set up the one-stop desk</source>
        <translation>Thiết lập Bộ phận Một cửa</translation>
    </message>
    <message>
        <source>Demo accounts (password {0}):
{1}
Close them under Settings › Users (Close demo accounts) before the desk starts real work.</source>
        <translation>Tài khoản mẫu (mật khẩu {0}):
{1}
Hãy khóa các tài khoản này tại Cài đặt › Người dùng (Khóa các tài khoản mẫu) trước khi bộ phận làm việc thật.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Checking the password…</source>
        <translation>Đang kiểm tra mật khẩu…</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Mở khóa</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Locked — signed in as {0}</source>
        <translation>Đã khóa — đang đăng nhập: {0}</translation>
    </message>
    <message>
        <source>Enter the password to go on, or sign in as someone else.</source>
        <translation>Nhập mật khẩu để tiếp tục, hoặc đăng nhập bằng tài khoản khác.</translation>
    </message>
    <message>
        <source>One-stop desk: sign in</source>
        <translation>Bộ phận Một cửa: đăng nhập</translation>
    </message>
    <message>
        <source>Caps Lock may be on.</source>
        <translation>Có thể phím Caps Lock đang bật.</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>Close the program</source>
        <translation>Đóng chương trình</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>Hãy nhập tên đăng nhập.</translation>
    </message>
</context>
<context>
    <name>StatisticsModel</name>
    <message>
        <source>Received for settlement</source>
        <translation>Số hồ sơ nhận giải quyết</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>Số hồ sơ đã giải quyết</translation>
    </message>
    <message>
        <source>Being settled</source>
        <translation>Số hồ sơ đang giải quyết</translation>
    </message>
    <message>
        <source>Closed unsettled</source>
        <translation>Dừng, rút hồ sơ</translation>
    </message>
    <message>
        <source>Public postal service</source>
        <translation>Bưu chính công ích</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Tổng số</translation>
    </message>
    <message>
        <source>(3) Received, total = (4) + (5) + (6)</source>
        <translation>(3) Tổng số hồ sơ nhận giải quyết = (4) + (5) + (6)</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>(4) Received online in the period</source>
        <translation>(4) Nhận trực tuyến trong kỳ</translation>
    </message>
    <message>
        <source>Direct, post</source>
        <translation>Trực tiếp, bưu chính</translation>
    </message>
    <message>
        <source>(5) Received at the counter or by post in the period</source>
        <translation>(5) Nhận trực tiếp và qua dịch vụ bưu chính trong kỳ</translation>
    </message>
    <message>
        <source>Carried over</source>
        <translation>Từ kỳ trước</translation>
    </message>
    <message>
        <source>(6) Still open at the start of the period</source>
        <translation>(6) Từ kỳ trước chuyển sang</translation>
    </message>
    <message>
        <source>(7) Settled, total = (8) + (9) + (10)</source>
        <translation>(7) Tổng số hồ sơ đã giải quyết = (8) + (9) + (10)</translation>
    </message>
    <message>
        <source>Early</source>
        <translation>Trước hạn</translation>
    </message>
    <message>
        <source>(8) Settled before the appointment</source>
        <translation>(8) Giải quyết trước hạn</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>Đúng hạn</translation>
    </message>
    <message>
        <source>(9) Settled on the appointment day</source>
        <translation>(9) Giải quyết đúng hạn</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>(10) Settled after the appointment</source>
        <translation>(10) Giải quyết quá hạn</translation>
    </message>
    <message>
        <source>(11) Being settled, total = (12) + (13)</source>
        <translation>(11) Tổng số hồ sơ đang giải quyết = (12) + (13)</translation>
    </message>
    <message>
        <source>In time</source>
        <translation>Trong hạn</translation>
    </message>
    <message>
        <source>(12) Open at the end, not yet due</source>
        <translation>(12) Đang giải quyết, chưa đến hạn</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <source>(13) Open at the end and overdue</source>
        <translation>(13) Đang giải quyết, đã quá hạn</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Rút hồ sơ</translation>
    </message>
    <message>
        <source>Withdrawn by the applicant in the period</source>
        <translation>Công dân rút hồ sơ trong kỳ</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Dừng xử lý</translation>
    </message>
    <message>
        <source>Stopped by the agency in the period</source>
        <translation>Cơ quan dừng xử lý trong kỳ</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Nhận qua BC</translation>
    </message>
    <message>
        <source>Files received by post in the period</source>
        <translation>Hồ sơ nhận qua bưu chính trong kỳ</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gửi KQ qua BC</translation>
    </message>
    <message>
        <source>Results handed to the post in the period</source>
        <translation>Kết quả giao bưu chính trong kỳ</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Đã phát</translation>
    </message>
    <message>
        <source>Results delivered in the period</source>
        <translation>Kết quả bưu chính đã phát trong kỳ</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Chuyển hoàn</translation>
    </message>
    <message>
        <source>Results returned to the desk in the period</source>
        <translation>Kết quả bị chuyển hoàn trong kỳ</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>STT</translation>
    </message>
    <message>
        <source>(1) Ordinal number</source>
        <translation>(1) Số thứ tự</translation>
    </message>
    <message>
        <source>Field of work</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>(2) Field of work or procedure</source>
        <translation>(2) Lĩnh vực, công việc giải quyết</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Receiving officer</source>
        <translation>Cán bộ tiếp nhận</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Quầy</translation>
    </message>
</context>
<context>
    <name>StatisticsView</name>
    <message>
        <source>Field of work</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Compute the report for the period (Enter)</source>
        <translation>Tổng hợp số liệu của kỳ (Enter)</translation>
    </message>
    <message>
        <source>Files have changed since this was computed; press Compute to refresh.</source>
        <translation>Hồ sơ đã thay đổi sau lần tổng hợp này; bấm Tổng hợp để cập nhật.</translation>
    </message>
    <message>
        <source>The report in the official layout, to print or save</source>
        <translation>Biểu mẫu theo quy định, để in hoặc lưu</translation>
    </message>
    <message>
        <source>JSON…</source>
        <translation>JSON…</translation>
    </message>
    <message>
        <source>File register…</source>
        <translation>Sổ theo dõi hồ sơ…</translation>
    </message>
    <message>
        <source>The file register for the chosen period</source>
        <translation>Sổ theo dõi hồ sơ của kỳ đã chọn</translation>
    </message>
    <message>
        <source>As PDF…</source>
        <translation>Dạng PDF…</translation>
    </message>
    <message>
        <source>As Excel…</source>
        <translation>Dạng Excel…</translation>
    </message>
    <message>
        <source>The report&apos;s identities do not hold; please report this: {0}</source>
        <translation>Số liệu không khớp các đẳng thức của biểu; hãy báo lỗi này: {0}</translation>
    </message>
    <message>
        <source>Checked: 3 = 4+5+6, 7 = 8+9+10, 11 = 12+13, 3 = 7+11+withdrawn+stopped.</source>
        <translation>Đã kiểm tra: 3 = 4+5+6, 7 = 8+9+10, 11 = 12+13, 3 = 7+11+rút+dừng.</translation>
    </message>
    <message>
        <source>Period statistics</source>
        <translation>Thống kê theo kỳ</translation>
    </message>
    <message>
        <source>Save the report as Excel</source>
        <translation>Lưu báo cáo dạng Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Save the report as JSON</source>
        <translation>Lưu báo cáo dạng JSON</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Tệp JSON (*.json)</translation>
    </message>
    <message>
        <source>File register</source>
        <translation>Sổ theo dõi hồ sơ</translation>
    </message>
    <message>
        <source>Save the file register as Excel</source>
        <translation>Lưu sổ theo dõi hồ sơ dạng Excel</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Receiving officer</source>
        <translation>Cán bộ tiếp nhận</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Quầy</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <source>Deadlines and statistics</source>
        <translation>Theo dõi, thống kê</translation>
    </message>
    <message>
        <source>Overdue watch</source>
        <translation>Theo dõi quá hạn</translation>
    </message>
    <message>
        <source>Period statistics</source>
        <translation>Thống kê theo kỳ</translation>
    </message>
    <message>
        <source>National index</source>
        <translation>Chỉ số phục vụ (QĐ 766)</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>Mức độ hài lòng</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Hàng đợi</translation>
    </message>
    <message>
        <source>Agencies</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Whole centre</source>
        <translation>Toàn trung tâm</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Phạm vi</translation>
    </message>
</context>
<context>
    <name>SupplementDialog</name>
    <message>
        <source>Request supplement</source>
        <translation>Yêu cầu bổ sung hồ sơ</translation>
    </message>
    <message>
        <source>Request and print</source>
        <translation>Yêu cầu và in phiếu</translation>
    </message>
    <message>
        <source>Why the file cannot be settled as it is</source>
        <translation>Lý do hồ sơ chưa đủ điều kiện giải quyết</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Lý do (bắt buộc)</translation>
    </message>
    <message>
        <source>Tick the papers that are missing or need correcting.</source>
        <translation>Đánh dấu các giấy tờ còn thiếu hoặc cần sửa đổi.</translation>
    </message>
    <message>
        <source>Documents to complete</source>
        <translation>Giấy tờ cần bổ sung</translation>
    </message>
    <message>
        <source>One document or correction per line</source>
        <translation>Mỗi dòng một giấy tờ hoặc nội dung cần sửa</translation>
    </message>
    <message>
        <source>Other documents</source>
        <translation>Giấy tờ khác</translation>
    </message>
    <message>
        <source>Requested at</source>
        <translation>Thời điểm yêu cầu</translation>
    </message>
</context>
<context>
    <name>SupplementRequestDialog</name>
    <message>
        <source>Request supplement</source>
        <translation>Yêu cầu bổ sung hồ sơ</translation>
    </message>
    <message>
        <source>The file is not accepted. The applicant receives a supplement request listing what to bring or correct.</source>
        <translation>Hồ sơ chưa được tiếp nhận. Người nộp nhận phiếu yêu cầu bổ sung, hoàn thiện hồ sơ ghi rõ giấy tờ cần bổ sung hoặc sửa đổi.</translation>
    </message>
    <message>
        <source>One document or correction per line</source>
        <translation>Mỗi dòng một giấy tờ hoặc nội dung cần sửa</translation>
    </message>
    <message>
        <source>Print request</source>
        <translation>In phiếu yêu cầu</translation>
    </message>
    <message>
        <source>Documents to bring or correct</source>
        <translation>Giấy tờ cần bổ sung hoặc sửa đổi</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Lý do (bắt buộc)</translation>
    </message>
</context>
<context>
    <name>SyncTab</name>
    <message>
        <source>Agency</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Remove the stored token</source>
        <translation>Xóa mã đã lưu</translation>
    </message>
    <message>
        <source> min</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>Send the summaries automatically</source>
        <translation>Tự động gửi số liệu tổng hợp</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>The desk sends the department its numbers per day and per procedure (received, settled, open, withdrawn, stopped, post) — never names, identity numbers, phones, addresses or file codes.</source>
        <translation>Bộ phận Một cửa gửi Sở số liệu theo từng ngày và từng thủ tục (tiếp nhận, đã giải quyết, đang giải quyết, rút, dừng, bưu chính) — không bao giờ gửi họ tên, số giấy tờ tùy thân, số điện thoại, địa chỉ hay mã hồ sơ.</translation>
    </message>
    <message>
        <source>The token given by the department is kept encrypted for the signed-in Windows user only (DPAPI), not in the desk&apos;s database.</source>
        <translation>Mã truy cập do Sở cấp được mã hóa và chỉ dùng được cho người dùng Windows đang đăng nhập (DPAPI), không lưu trong cơ sở dữ liệu.</translation>
    </message>
    <message>
        <source>The token given by the department is kept in a file of the signed-in user&apos;s configuration folder that only this user may read (mode 0600), not in the desk&apos;s database.</source>
        <translation>Mã truy cập do Sở cấp được lưu trong một tệp ở thư mục cấu hình của người dùng đang đăng nhập, chỉ người dùng này đọc được (quyền 0600), không lưu trong cơ sở dữ liệu.</translation>
    </message>
    <message>
        <source>Department address</source>
        <translation>Địa chỉ của Sở</translation>
    </message>
    <message>
        <source>Desk token</source>
        <translation>Mã truy cập (token)</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>Gửi mỗi</translation>
    </message>
    <message>
        <source>A token is stored; type a new one to replace it</source>
        <translation>Đã lưu mã; nhập mã mới để thay</translation>
    </message>
    <message>
        <source>The token printed by the department (add-desk)</source>
        <translation>Mã do Sở cấp (lệnh add-desk)</translation>
    </message>
    <message>
        <source>Type the token given by the department.</source>
        <translation>Hãy nhập mã truy cập do Sở cấp.</translation>
    </message>
    <message>
        <source>The token could not be stored: {0}</source>
        <translation>Không lưu được mã: {0}</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>The token was removed; nothing is sent until a new one is saved.</source>
        <translation>Đã xóa mã; sẽ không gửi gì cho đến khi lưu mã mới.</translation>
    </message>
</context>
<context>
    <name>SyncWindow</name>
    <message>
        <source>Outbox of</source>
        <translation>Hàng đợi gửi của</translation>
    </message>
    <message>
        <source>{0} — {1}: {2}</source>
        <translation>{0} — {1}: {2}</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <source>Received by the department</source>
        <translation>Sở đã nhận</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Bị từ chối</translation>
    </message>
    <message>
        <source>Replaced by a newer revision</source>
        <translation>Đã có bản mới hơn thay thế</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Lần gửi</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Số lần thử</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>Thử lại lúc</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Số biên nhận</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Lỗi gần nhất</translation>
    </message>
    <message>
        <source>Sync: not set up</source>
        <translation>Đồng bộ: chưa thiết lập</translation>
    </message>
    <message>
        <source>Settings › Sync: the department&apos;s address</source>
        <translation>Cài đặt › Đồng bộ: địa chỉ của Sở</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Đang đồng bộ…</translation>
    </message>
    <message>
        <source>Sync: off</source>
        <translation>Đồng bộ: tắt</translation>
    </message>
    <message>
        <source>Sync: not yet</source>
        <translation>Chưa đồng bộ</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <source>{0} unsent</source>
        <translation>{0} chưa gửi</translation>
    </message>
    <message>
        <source>{0} refused</source>
        <translation>{0} bị từ chối</translation>
    </message>
    <message>
        <source>last sync {0}</source>
        <translation>đồng bộ lúc {0}</translation>
    </message>
    <message>
        <source>Click for the outbox</source>
        <translation>Bấm để xem hàng đợi gửi</translation>
    </message>
    <message>
        <source>Sync with the department</source>
        <translation>Đồng bộ với Sở</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <source>Send refused rows again</source>
        <translation>Gửi lại các dòng bị từ chối</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Cài đặt…</translation>
    </message>
    <message>
        <source>(no address)</source>
        <translation>(chưa có địa chỉ)</translation>
    </message>
    <message>
        <source>Department: {0}
{1}</source>
        <translation>Sở: {0}
{1}</translation>
    </message>
    <message>
        <source>Last attempt: {0}</source>
        <translation>Lần thử gần nhất: {0}</translation>
    </message>
</context>
<context>
    <name>TabletPairingDialog</name>
    <message>
        <source>Rating tablet</source>
        <translation>Máy tính bảng đánh giá</translation>
    </message>
    <message>
        <source>The rating page for a tablet is off on this computer. An administrator turns it on in Settings › This computer.</source>
        <translation>Trang đánh giá trên máy tính bảng đang tắt ở máy này. Quản trị viên bật trang này trong Cài đặt › Máy tính này.</translation>
    </message>
    <message>
        <source>1. On the tablet (same network), open:</source>
        <translation>1. Trên máy tính bảng (cùng mạng nội bộ), mở địa chỉ:</translation>
    </message>
    <message>
        <source>2. Type this code on the tablet:</source>
        <translation>2. Nhập mã này trên máy tính bảng:</translation>
    </message>
    <message>
        <source>New code</source>
        <translation>Mã mới</translation>
    </message>
    <message>
        <source>Unpair the tablet</source>
        <translation>Bỏ ghép máy tính bảng</translation>
    </message>
    <message>
        <source>Valid until {0} ({1}:{2:02d} left), once.</source>
        <translation>Dùng được đến {0} (còn {1}:{2:02d}), một lần.</translation>
    </message>
    <message>
        <source>The code has expired or was used. Press New code for another.</source>
        <translation>Mã đã hết hạn hoặc đã được dùng. Bấm Mã mới để lấy mã khác.</translation>
    </message>
    <message>
        <source>A tablet is paired with this counter: it asks after each service.</source>
        <translation>Đã ghép một máy tính bảng với quầy này: máy hỏi ý kiến sau mỗi lượt phục vụ.</translation>
    </message>
    <message>
        <source>No tablet is paired with this counter.</source>
        <translation>Chưa có máy tính bảng nào ghép với quầy này.</translation>
    </message>
</context>
<context>
    <name>TicketBar</name>
    <message>
        <source>Call next</source>
        <translation>Gọi số tiếp</translation>
    </message>
    <message>
        <source>Call the next number (F8)</source>
        <translation>Gọi số tiếp theo (F8)</translation>
    </message>
    <message>
        <source>Call again</source>
        <translation>Gọi lại</translation>
    </message>
    <message>
        <source>Skip (did not come)</source>
        <translation>Bỏ qua (không có mặt)</translation>
    </message>
    <message>
        <source>Issue a ticket</source>
        <translation>Cấp số thứ tự</translation>
    </message>
    <message>
        <source>Groups this counter calls</source>
        <translation>Nhóm dịch vụ quầy này gọi</translation>
    </message>
    <message>
        <source>Ticket {0}</source>
        <translation>Số thứ tự {0}</translation>
    </message>
    <message>
        <source>Serving {0}</source>
        <translation>Đang phục vụ số {0}</translation>
    </message>
    <message>
        <source>Nobody is waiting</source>
        <translation>Không còn ai chờ</translation>
    </message>
    <message>
        <source>No number called</source>
        <translation>Chưa gọi số</translation>
    </message>
    <message>
        <source>{0} waiting</source>
        <translation>{0} người đang chờ</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>The two passwords differ.</source>
        <translation>Hai mật khẩu không khớp nhau.</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>Add user…</source>
        <translation>Thêm người dùng…</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>Đổi vai trò…</translation>
    </message>
    <message>
        <source>Close account</source>
        <translation>Khóa tài khoản</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Đặt lại mật khẩu…</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Đã khóa</translation>
    </message>
    <message>
        <source>Reopen account</source>
        <translation>Mở lại tài khoản</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>Thêm người dùng</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>Nhập lại mật khẩu</translation>
    </message>
    <message>
        <source>User {0} added.</source>
        <translation>Đã thêm người dùng {0}.</translation>
    </message>
    <message>
        <source>Role of {0}</source>
        <translation>Vai trò của {0}</translation>
    </message>
    <message>
        <source>Role of {0} saved.</source>
        <translation>Đã lưu vai trò của {0}.</translation>
    </message>
    <message>
        <source>Account {0} reopened.</source>
        <translation>Đã mở lại tài khoản {0}.</translation>
    </message>
    <message>
        <source>Account {0} closed.</source>
        <translation>Đã khóa tài khoản {0}.</translation>
    </message>
    <message>
        <source>New password for {0}</source>
        <translation>Mật khẩu mới cho {0}</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
    <message>
        <source>Password of {0} reset.</source>
        <translation>Đã đặt lại mật khẩu của {0}.</translation>
    </message>
    <message>
        <source>Close demo accounts</source>
        <translation>Khóa các tài khoản mẫu</translation>
    </message>
    <message>
        <source>Closes every demo account that still has the published password; do this before the desk goes live.</source>
        <translation>Khóa mọi tài khoản mẫu còn dùng mật khẩu đã công bố; hãy làm việc này trước khi đưa bộ phận vào làm việc thật.</translation>
    </message>
    <message>
        <source>Demo accounts closed: {0}.</source>
        <translation>Đã khóa các tài khoản mẫu: {0}.</translation>
    </message>
    <message>
        <source>No demo account is open with the published password.</source>
        <translation>Không còn tài khoản mẫu nào dùng mật khẩu đã công bố.</translation>
    </message>
    <message>
        <source>Agencies</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>Agencies…</source>
        <translation>Cơ quan…</translation>
    </message>
    <message>
        <source>The agencies this user works for</source>
        <translation>Các cơ quan người dùng này làm việc cho</translation>
    </message>
    <message>
        <source>none</source>
        <translation>chưa có</translation>
    </message>
    <message>
        <source>Works for</source>
        <translation>Làm việc cho</translation>
    </message>
    <message>
        <source>Agencies of {0}</source>
        <translation>Cơ quan của {0}</translation>
    </message>
    <message>
        <source>Agencies of {0} saved.</source>
        <translation>Đã lưu cơ quan của {0}.</translation>
    </message>
</context>
<context>
    <name>_BatchDialog</name>
    <message>
        <source>{0} file(s): {1}</source>
        <translation>{0} hồ sơ: {1}</translation>
    </message>
</context>
<context>
    <name>actions</name>
    <message>
        <source>Forward</source>
        <translation>Chuyển hồ sơ</translation>
    </message>
    <message>
        <source>Request supplement</source>
        <translation>Yêu cầu bổ sung</translation>
    </message>
    <message>
        <source>Supplement received</source>
        <translation>Nhận hồ sơ bổ sung</translation>
    </message>
    <message>
        <source>Financial obligation</source>
        <translation>Nghĩa vụ tài chính</translation>
    </message>
    <message>
        <source>Obligation fulfilled</source>
        <translation>Đã thực hiện nghĩa vụ tài chính</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>Rút hồ sơ</translation>
    </message>
    <message>
        <source>Stop processing</source>
        <translation>Dừng xử lý</translation>
    </message>
    <message>
        <source>Result received</source>
        <translation>Nhận kết quả</translation>
    </message>
    <message>
        <source>Return result</source>
        <translation>Trả kết quả</translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation>Xin lỗi, hẹn lại</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>Điều chỉnh thông tin</translation>
    </message>
    <message>
        <source>Your account may not take this step.</source>
        <translation>Tài khoản của bạn không được thực hiện bước này.</translation>
    </message>
    <message>
        <source>Recorded, but the slip could not be printed</source>
        <translation>Đã ghi nhận, nhưng không in được phiếu</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Cannot open the database</source>
        <translation>Không mở được cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>The database {0} cannot be opened: {1}</source>
        <translation>Không mở được cơ sở dữ liệu {0}: {1}</translation>
    </message>
    <message>
        <source>Cannot reach the centre&apos;s server</source>
        <translation>Không kết nối được máy chủ của trung tâm</translation>
    </message>
    <message>
        <source>Nothing was changed. If the server is being restarted or the network is down, wait a moment and press Retry. If the server&apos;s address or password changed, the administrator corrects them in Settings › This computer (or starts the program with --db and the server&apos;s address).</source>
        <translation>Chưa có gì bị thay đổi. Nếu máy chủ đang khởi động lại hoặc mạng đang mất, hãy đợi một lát rồi bấm Thử lại. Nếu địa chỉ hoặc mật khẩu của máy chủ đã đổi, người quản trị sửa trong Cài đặt › Máy này (hoặc mở chương trình với --db và địa chỉ của máy chủ).</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>The file or disk could not be used: {0}</source>
        <translation>Không sử dụng được tệp hoặc ổ đĩa: {0}</translation>
    </message>
    <message>
        <source>An unexpected error occurred. This action saved nothing; the details are in the log.</source>
        <translation>Đã xảy ra lỗi không mong muốn. Thao tác này chưa lưu gì; chi tiết có trong nhật ký.</translation>
    </message>
    <message>
        <source>Cannot do this</source>
        <translation>Không thể thực hiện</translation>
    </message>
</context>
<context>
    <name>post</name>
    <message>
        <source>Change delivery address</source>
        <translation>Đổi địa chỉ nhận kết quả</translation>
    </message>
    <message>
        <source>Deliver by post</source>
        <translation>Trả qua bưu chính</translation>
    </message>
    <message>
        <source>Hand over to post</source>
        <translation>Giao bưu chính</translation>
    </message>
    <message>
        <source>Delivered by post</source>
        <translation>Bưu chính đã phát thành công</translation>
    </message>
    <message>
        <source>Delivery failed</source>
        <translation>Phát không thành công</translation>
    </message>
    <message>
        <source>Returned to sender</source>
        <translation>Chuyển hoàn</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Chiều</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Số hiệu</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Người nhận</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Postage</source>
        <translation>Cước</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>Ngày giao</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <source>Signed by / note</source>
        <translation>Người ký nhận / ghi chú</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Nhận đến</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gửi đi</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <source>Due dates will move</source>
        <translation>Hạn trả kết quả sẽ thay đổi</translation>
    </message>
    <message>
        <source>Only files the new rules make later are moved; no appointment is brought forward. Save the change?</source>
        <translation>Chỉ lùi hạn các hồ sơ mà lịch mới làm muộn hơn; không hồ sơ nào bị đưa hạn sớm lên. Lưu thay đổi?</translation>
    </message>
</context>
</TS>
