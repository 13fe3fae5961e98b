"""The command line's English: each Vietnamese text the commands say (the `tr` source strings
of desk_app/cli) with its English rendering, `{field}` places kept.

A new `tr("…")` in desk_app/cli needs its line here: tests/e2e/test_cli_lang.py fails on a text
without one, and on an entry whose places differ from its source's.
"""

from __future__ import annotations

ENGLISH: dict[str, str] = {
    "Bộ phận Một cửa: dòng lệnh quản trị (không có lệnh: mở cửa sổ chương trình).": (
        "One-stop desk: the administrator's command line (no command: open the program's window)."
    ),
    "tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu của người dùng)": (
        "database file (default: the user's data folder)"
    ),
    (
        "ngôn ngữ của dòng lệnh: vi (mặc định) hoặc en; nếu không ghi: biến môi trường "
        "{variable}, rồi ngôn ngữ đã chọn cho cửa sổ trên máy này"
    ): (
        "language of the command line: vi (default) or en; when not given: the {variable} "
        "environment variable, then the language chosen for the window on this machine"
    ),
    "<lệnh>": "<command>",
    "Lỗi: {message}": "error: {message}",
    "Đã hủy.": "Cancelled.",
    "Bộ phận Một cửa": "One-stop desk",
    "{what} “{text}” không được kèm múi giờ: ghi giờ địa phương YYYY-MM-DDTHH:MM.": (
        "{what} “{text}” must not carry a time zone: write local time YYYY-MM-DDTHH:MM."
    ),
    "{what} “{text}” phải có dạng YYYY-MM-DDTHH:MM.": (
        "{what} “{text}” must be written YYYY-MM-DDTHH:MM."
    ),
    "Ngày": "Date",
    "{what} “{text}” phải có dạng YYYY-MM-DD.": "{what} “{text}” must be written YYYY-MM-DD.",
    "cấp mã truy cập mới (in ở dòng cuối) cho một {what}; mã cũ hết hiệu lực ngay": (
        "issue a new access token (printed on the last line) for a {what}; the old one stops "
        "working at once"
    ),
    "chạy dịch vụ HTTP của Sở (Ctrl+C để dừng)": (
        "run the department's HTTP service (Ctrl+C to stop)"
    ),
    "đăng ký một bộ phận một cửa; in mã truy cập của nó ở dòng cuối": (
        "register a one-stop desk; prints its access token on the last line"
    ),
    "đăng ký người hoặc công cụ xem báo cáo; in mã truy cập ở dòng cuối": (
        "register a person or tool that views reports; prints the access token on the last line"
    ),
    "báo cáo tổng hợp (Biểu 06) của các bộ phận một cửa cho một kỳ": (
        "consolidated report (Form 06) of the one-stop desks for a period"
    ),
    "Dịch vụ của Sở chạy tại http://{host}:{port} (Ctrl+C để dừng). Cơ sở dữ liệu: {url}": (
        "The department's service runs at http://{host}:{port} (Ctrl+C to stop). Database: {url}"
    ),
    "Đã đăng ký {what} “{name}”. Mã truy cập (chỉ hiện một lần, hãy lưu lại):": (
        "Registered {what} “{name}”. Access token (shown only once, keep it):"
    ),
    "người xem báo cáo": "report viewer",
    "bộ phận một cửa": "one-stop desk",
    (
        "Đã cấp mã truy cập mới cho {what} “{name}”; mã cũ không còn dùng được. Mã truy cập mới "
        "(chỉ hiện một lần, hãy lưu lại):"
    ): (
        "Issued a new access token for {what} “{name}”; the old one no longer works. New access "
        "token (shown only once, keep it):"
    ),
    " Số liệu đã nhận vẫn nằm trong báo cáo.": " Figures already received stay in the report.",
    (
        "Đã thu hồi mã truy cập của {what} “{name}”.{kept} Cấp lại mã bằng lệnh “department "
        "{again}”."
    ): (
        "Revoked the access token of {what} “{name}”.{kept} Issue a new one with “department "
        "{again}”."
    ),
    (
        "Đã lập báo cáo tổng hợp từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}: nhận {received}, đã giải "
        "quyết {settled}, đang giải quyết {open} hồ sơ: {path}"
    ): (
        "Consolidated report from {start:%d/%m/%Y} to {end:%d/%m/%Y}: received {received}, "
        "settled {settled}, in progress {open} files: {path}"
    ),
    "dịch vụ tổng hợp số liệu của Sở (nhận số liệu từ các bộ phận một cửa)": (
        "the department's statistics service (receives figures from the one-stop desks)"
    ),
    "địa chỉ lắng nghe (mặc định 127.0.0.1)": "address to listen on (default 127.0.0.1)",
    "cổng (mặc định 8080)": "port (default 8080)",
    "cỡ tối đa của một yêu cầu gửi lên, tính bằng byte (mặc định {size})": (
        "largest request body accepted, in bytes (default {size})"
    ),
    "phục vụ tài liệu API (/openapi.json, /docs, /redoc); mặc định tắt": (
        "serve the API documentation (/openapi.json, /docs, /redoc); off by default"
    ),
    "tên bộ phận một cửa (duy nhất)": "name of the one-stop desk (unique)",
    "tên người xem (duy nhất)": "name of the viewer (unique)",
    "thu hồi mã truy cập của một {what} (số liệu đã nhận vẫn giữ)": (
        "revoke the access token of a {what} (figures already received are kept)"
    ),
    "thu hồi mã truy cập của một {what}": "revoke the access token of a {what}",
    "từ ngày YYYY-MM-DD": "from date YYYY-MM-DD",
    "đến ngày YYYY-MM-DD": "to date YYYY-MM-DD",
    "chỉ một bộ phận một cửa (mặc định: tất cả)": "only one one-stop desk (default: all)",
    "nhóm theo lĩnh vực (field, mặc định) hoặc theo thủ tục (procedure)": (
        "group by field (field, default) or by procedure (procedure)"
    ),
    "nhóm theo lĩnh vực (field, mặc định), thủ tục (procedure), cơ quan (agency), "
    "cán bộ tiếp nhận (officer) hoặc quầy (counter)": (
        "group by field of work (field, default), procedure (procedure), agency (agency), "
        "receiving officer (officer) or counter (counter)"
    ),
    "định dạng": "format",
    "tệp ghi ra (mặc định “-”: in ra màn hình)": "output file (default “-”: print to the screen)",
    "Cổng “{port}” không hợp lệ (0–65535).": "Port “{port}” is not valid (0–65535).",
    "Cỡ tối đa “{size}” quá nhỏ (ít nhất 1024 byte).": (
        "Largest size “{size}” is too small (at least 1024 bytes)."
    ),
    "Từ ngày": "From date",
    "Đến ngày": "To date",
    "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.": (
        "The end date must be on or after the start date."
    ),
    (
        "cơ sở dữ liệu của Sở: URL SQLAlchemy (sqlite:///…, postgresql+psycopg://…) hoặc đường "
        "dẫn tệp SQLite (mặc định: {path})"
    ): (
        "the department's database: an SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…) or an "
        "SQLite file path (default: {path})"
    ),
    "tên {what} đã đăng ký": "registered name of the {what}",
    "Không mở được cổng {port}: {reason}.": "Cannot open port {port}: {reason}.",
    "T2": "Mon",
    "T3": "Tue",
    "T4": "Wed",
    "T5": "Thu",
    "T6": "Fri",
    "T7": "Sat",
    "CN": "Sun",
    "Cơ sở dữ liệu sẵn sàng: {path}": "Database ready: {path}",
    "Thời điểm tiếp nhận": "Moment of intake",
    "[fee:]START/END": "[fee:]START/END",
    "Năm {year}: {count} ngày làm việc.": "Year {year}: {count} working days.",
    "Chưa lưu: thêm --yes để xác nhận.": "Not saved: add --yes to confirm.",
    "sửa lịch làm việc": "change the working calendar",
    "ngày làm việc": "working day",
    "ngày nghỉ": "day off",
    "nhập danh mục thủ tục": "import the procedure catalogue",
    "Đã nhập danh mục: {added} thêm mới, {updated} cập nhật, {unchanged} không đổi.": (
        "Catalogue imported: {added} added, {updated} updated, {unchanged} unchanged."
    ),
    "Đã xuất {count} thủ tục ra {path}": "Exported {count} procedures to {path}",
    "Đã sao lưu và kiểm tra: {path}": "Backed up and checked: {path}",
    (
        "Kiểm tra: đã phục hồi thử vào một cơ sở dữ liệu tạm; {tables} bảng, {rows} dòng "
        "khớp với bản gốc."
    ): "Check: restored into a scratch database; {tables} tables, {rows} rows match the source.",
    (
        "Kiểm tra: đọc được danh mục và phiên bản lược đồ của bản sao lưu ({tables} bảng "
        "có dữ liệu). Người dùng máy chủ không có quyền tạo cơ sở dữ liệu tạm nên chưa "
        "phục hồi thử."
    ): (
        "Check: the backup's table of contents and schema revision were read ({tables} tables "
        "with data). The server user may not create a scratch database, so no trial restore "
        "was made."
    ),
    "Đã phục hồi {path} từ {source}": "Restored {path} from {source}",
    (
        "Mất kết nối tới máy chủ cơ sở dữ liệu của trung tâm; việc đang làm đã hủy, không có "
        "gì được ghi nửa chừng. Hãy kiểm tra mạng tới máy chủ rồi chạy lại lệnh."
    ): (
        "Lost the connection to the centre's database server; the work in progress was "
        "cancelled and nothing was half-written. Check the network to the server and run the "
        "command again."
    ),
    "tạo hoặc nâng cấp CSDL, khai báo đơn vị, tạo quản trị viên": (
        "create or upgrade the database, declare the unit, create the administrator"
    ),
    "mã cơ quan dùng trong mã hồ sơ, ví dụ 000.00.20.H37": (
        "agency code used in file codes, e.g. 000.00.20.H37"
    ),
    "tên cơ quan, ví dụ SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH": (
        "agency name, e.g. SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    ),
    "cơ quan chủ quản, ví dụ UBND TỈNH LẠNG SƠN": "governing body, e.g. UBND TỈNH LẠNG SƠN",
    "tên bộ phận (mặc định BỘ PHẬN MỘT CỬA)": "unit name (default BỘ PHẬN MỘT CỬA)",
    "địa danh ghi trên giấy tờ, ví dụ Lạng Sơn": "place name written on documents, e.g. Lạng Sơn",
    "giờ làm việc, ví dụ 07:00-11:30,13:30-17:00": "office hours, e.g. 07:00-11:30,13:30-17:00",
    "giờ chốt nhận hồ sơ trong ngày, ví dụ 15:00": "daily intake cut-off time, e.g. 15:00",
    "tên đăng nhập của quản trị viên đầu tiên (mật khẩu từ stdin)": (
        "user name of the first administrator (password from stdin)"
    ),
    "họ tên quản trị viên": "full name of the administrator",
    "không nạp danh mục thủ tục mẫu": "do not load the sample procedure catalogue",
    "tính thời điểm hẹn trả kết quả": "compute the result appointment (due moment)",
    "thời điểm tiếp nhận YYYY-MM-DDTHH:MM": "moment of intake YYYY-MM-DDTHH:MM",
    "thời hạn (có thể là số thập phân)": "duration (may be a decimal number)",
    (
        "khoảng tạm dừng (có thể lặp lại); END để trống nếu chưa kết thúc; tiền tố fee: cho tạm "
        "dừng chờ thực hiện nghĩa vụ tài chính (mặc định: chờ bổ sung)"
    ): (
        "pause interval (repeatable); leave END empty if not ended; prefix fee: for a pause "
        "awaiting a financial obligation (default: awaiting a supplement)"
    ),
    "tính lại từ đầu sau khi bổ sung": "restart the count after a supplement",
    "giờ chốt cho đơn vị same_day (mặc định theo cài đặt)": (
        "cut-off time for the same_day unit (default from the settings)"
    ),
    "in lịch làm việc của một năm": "print the working calendar of a year",
    "in cả ngày làm việc bình thường": "print ordinary working days too",
    "đặt một ngày là ngày làm việc hoặc ngày nghỉ": "make a day a working day or a day off",
    "căn cứ, ví dụ số văn bản thông báo": "legal basis, e.g. the number of the notice",
    "đồng ý lùi hạn các hồ sơ bị ảnh hưởng": "agree to move the deadlines of the affected files",
    "bỏ điều chỉnh của quản trị cho một ngày": "remove the administrator's change for a day",
    "nhập danh mục từ JSON hoặc CSV": "import the catalogue from JSON or CSV",
    "xuất danh mục ra JSON hoặc CSV": "export the catalogue to JSON or CSV",
    "sao lưu CSDL (đang chạy vẫn sao lưu được)": (
        "back up the database (works while the program runs)"
    ),
    (
        "tệp, hoặc thư mục (kết thúc bằng / hoặc đã có) để tự đặt tên; CSDL trên máy chủ "
        "được sao lưu thành tệp .pgdump bằng pg_dump"
    ): (
        "a file, or a folder (ending in / or existing) to name the file automatically; a "
        "database on a server is backed up as a .pgdump file with pg_dump"
    ),
    "ghi đè tệp đã có (trừ CSDL đang dùng)": (
        "overwrite an existing file (never the database in use)"
    ),
    "phục hồi CSDL từ bản sao lưu": "restore the database from a backup",
    "Mật khẩu: ": "Password: ",
    "Cần mật khẩu của quản trị viên trên đầu vào chuẩn (stdin).": (
        "The administrator's password is needed on standard input (stdin)."
    ),
    "Khai báo Bộ phận Một cửa (Enter để giữ giá trị trong ngoặc).": (
        "Set up the one-stop desk (Enter keeps the value in brackets)."
    ),
    "Cơ quan chủ quản": "Governing body",
    "Tên cơ quan": "Agency name",
    "Tên bộ phận": "Unit name",
    "Mã cơ quan (dùng trong mã hồ sơ)": "Agency code (used in file codes)",
    "Địa danh ghi trên giấy tờ": "Place name on documents",
    "Giờ làm việc": "Office hours",
    "Giờ chốt nhận hồ sơ trong ngày": "Daily intake cut-off time",
    "Đã nạp {count} thủ tục từ danh mục mẫu.": (
        "Loaded {count} procedures from the sample catalogue."
    ),
    "Lưu ý: chưa đủ mã cơ quan và tên cơ quan; chưa tiếp nhận hồ sơ được.": (
        "Note: the agency code and agency name are not both set; files cannot be accepted yet."
    ),
    "Khoảng tạm dừng “{text}” phải có dạng START/END.": (
        "Pause interval “{text}” must be written START/END."
    ),
    "Đầu khoảng tạm dừng": "Start of the pause",
    "Thời hạn phải lớn hơn 0.": "The duration must be greater than 0.",
    "phục hồi cơ sở dữ liệu": "restore the database",
    "Bản cũ được giữ tại: {path}": "The old copy is kept at: {path}",
    "Nhập lại mật khẩu: ": "Repeat the password: ",
    "Hai lần nhập mật khẩu không khớp.": "The two passwords do not match.",
    (
        "Cơ sở dữ liệu {path} đã được khởi tạo (đã có người dùng); lệnh init không làm lại. Hãy "
        "đổi thông tin đơn vị và người dùng trong Cài đặt của chương trình."
    ): (
        "The database {path} is already set up (it has users); init does not run again. Change "
        "the unit's details and the users in the program's Settings."
    ),
    "Tên đăng nhập quản trị viên": "Administrator's user name",
    "Họ tên quản trị viên": "Administrator's full name",
    "Cuối khoảng tạm dừng": "End of the pause",
    "Thời hạn “{value}” phải là một số.": "Duration “{value}” must be a number.",
    "làm việc": "working",
    "nghỉ": "off",
    "lịch làm việc": "working calendar",
    "danh mục thủ tục": "procedure catalogue",
    "Quản trị viên “{user}” đã có; giữ nguyên mật khẩu.": (
        "Administrator “{user}” already exists; the password is kept."
    ),
    "Đã tạo quản trị viên “{user}”.": "Created administrator “{user}”.",
    "Giờ chốt": "Cut-off time",
    "Lưu thay đổi và lùi hạn các hồ sơ trên? [c/K] ": (
        "Save the change and move the deadlines of the files above? [y/N] "
    ),
    "Không có quyền truy cập.": "No permission to access.",
    (
        "Tệp cơ sở dữ liệu hoặc thư mục chứa nó chỉ cho phép đọc; chương trình cần quyền ghi vào "
        "cả hai (cả tệp -wal, -shm bên cạnh). Không có gì được ghi."
    ): (
        "The database file or its folder is read-only; the program needs to write to both (and to "
        "the -wal, -shm files beside it). Nothing was written."
    ),
    (
        "Không mở được tệp cơ sở dữ liệu: thư mục không cho phép ghi hoặc không truy cập được. "
        "Không có gì được ghi."
    ): (
        "Cannot open the database file: the folder is not writable or cannot be reached. Nothing "
        "was written."
    ),
    "Đĩa đầy hoặc lỗi đọc ghi đĩa khi dùng cơ sở dữ liệu; giao dịch đang làm đã hủy.": (
        "Disk full or disk read/write error while using the database; the transaction in progress "
        "was cancelled."
    ),
    "Không có quyền truy cập {path}.": "No permission to access {path}.",
    "không quy định thời hạn": "no legal time limit",
    "tiếp nhận hồ sơ": "accept files",
    "Đã tiếp nhận {count} hồ sơ.": "Accepted {count} files.",
    "{shown}/{total} hồ sơ ({queue}).": "{shown}/{total} files ({queue}).",
    "Quá trình:": "History:",
    "tạo dữ liệu mẫu": "create demo data",
    "tiếp nhận hàng loạt từ JSON hoặc CSV (tất cả hoặc không hồ sơ nào)": (
        "bulk intake from JSON or CSV (all files or none)"
    ),
    "danh sách hồ sơ theo hàng đợi": "list files by queue",
    "hàng đợi: {queues} (mặc định open)": "queue: {queues} (default open)",
    "số hồ sơ in ra nhiều nhất (mặc định 50)": "largest number of files printed (default 50)",
    "in JSON": "print JSON",
    "xét hạn tại thời điểm YYYY-MM-DDTHH:MM (mặc định: bây giờ)": (
        "judge deadlines at the moment YYYY-MM-DDTHH:MM (default: now)"
    ),
    "chi tiết một hồ sơ": "details of one file",
    "mã hồ sơ": "file code",
    "tạo dữ liệu mẫu để dùng thử và đo tốc độ": (
        "create demo data for training and speed measurements"
    ),
    "số hồ sơ (mặc định 500)": "number of files (default 500)",
    "hạt giống ngẫu nhiên (mặc định 2026)": "random seed (default 2026)",
    (
        "thời điểm hiện tại của dữ liệu mẫu, YYYY-MM-DDTHH:MM (mặc định: bây giờ); hồ sơ trải "
        "trên hai năm trước thời điểm này"
    ): (
        "the demo data's present moment, YYYY-MM-DDTHH:MM (default: now); files spread over the "
        "two years before it"
    ),
    "cho phép thêm vào sổ đã có hồ sơ thật (hồ sơ mẫu được đánh dấu, không tạo tài khoản mẫu)": (
        "allow adding to a register that holds real files (demo files are marked, no demo "
        "accounts are created)"
    ),
    "Đã ghi {done}/{total} hồ sơ…": "Written {done}/{total} files…",
    "không hạn": "no time limit",
    "Thời điểm": "Moment",
    "Mã hồ sơ": "File code",
    "Trạng thái": "Status",
    "Thủ tục": "Procedure",
    "Chủ hồ sơ": "Applicant",
    "Giấy tờ tùy thân": "Identity document",
    "Điện thoại": "Phone",
    "Địa chỉ": "Address",
    "Kênh tiếp nhận": "Intake channel",
    "Sổ theo dõi": "Register",
    "Quyển số {book}, số thứ tự {seq}": "Book {book}, number {seq}",
    "Tiếp nhận": "Received",
    "Hẹn trả": "Result due",
    "Hạn theo quy định": "Legal due date",
    "Có kết quả": "Result received",
    "Kết thúc": "Closed",
    "hẹn trả {due}": "due {due}",
    "Lỗi: {message} Nếu thật sự cần, chạy lại với --into-production.": (
        "error: {message} If you really mean it, run again with --into-production."
    ),
    "hồ sơ": "files",
    "Nguồn": "Source",
    "cập nhật kết quả phát": "update delivery outcomes",
    "Đã cập nhật kết quả phát của {count} dòng.": "Updated the delivery outcome of {count} lines.",
    "Ngày giao": "Hand-over date",
    "Đã in bảng kê giao bưu chính ngày {day:%d/%m/%Y}: {path}": (
        "Printed the postal hand-over list of {day:%d/%m/%Y}: {path}"
    ),
    "cập nhật kết quả phát từ danh sách của bưu chính (CSV/XLSX, một giao dịch)": (
        "update delivery outcomes from the post's list (CSV/XLSX, one transaction)"
    ),
    (
        "Cột: so_hieu|tracking, ket_qua|outcome, ngay|date, nguoi_nhan|signed_by, ghi_chu|note. "
        "Kết quả: phát thành công, phát không thành công, chuyển hoàn. Ngày: dd/mm/yyyy [HH:MM] "
        "hoặc YYYY-MM-DD[THH:MM]. Có dòng sai thì không ghi dòng nào."
    ): (
        "Columns: so_hieu|tracking, ket_qua|outcome, ngay|date, nguoi_nhan|signed_by, "
        "ghi_chu|note. Outcomes: phát thành công, phát không thành công, chuyển hoàn. Dates: "
        "dd/mm/yyyy [HH:MM] or YYYY-MM-DD[THH:MM]. If any line is wrong, no line is written."
    ),
    "tệp CSV (UTF-8, phân cách ; hoặc ,) hoặc XLSX": (
        "CSV file (UTF-8, separated by ; or ,) or XLSX"
    ),
    "in bảng kê giao bưu chính của một ngày": "print the postal hand-over list of a day",
    "ngày giao YYYY-MM-DD": "hand-over date YYYY-MM-DD",
    "tệp PDF ghi ra": "PDF file to write",
    "Lỗi: Dòng {line}: {message}": "error: Line {line}: {message}",
    "Không cập nhật dòng nào ({valid} dòng hợp lệ cũng chưa được ghi).": (
        "No line updated ({valid} valid lines were not written either)."
    ),
    "Không cập nhật dòng nào.": "No line updated.",
    "Dòng {line}: ": "Line {line}: ",
    "kết quả trả qua bưu chính": "results returned by post",
    "giấy tiếp nhận hồ sơ và hẹn trả kết quả (bản in lại giống hệt bản đầu)": (
        "receipt and result appointment (a reprint is identical to the first print)"
    ),
    "phiếu yêu cầu bổ sung, hoàn thiện hồ sơ": "request to supplement the file",
    "phiếu từ chối tiếp nhận giải quyết hồ sơ": "refusal of the file",
    "phiếu xin lỗi và hẹn lại ngày trả kết quả": "apology and new result date",
    "thông báo dừng giải quyết hồ sơ (số lấy khi in lần đầu)": (
        "notice that processing stopped (numbered at its first print)"
    ),
    "in biểu mẫu": "print forms",
    "bản in lại từ bản lưu": "reprint from the stored copy",
    "bản in đầu tiên, đã lưu": "first print, stored",
    " số {number}": " number {number}",
    "Đã in {slip}{number} ({state}): {path}": "Printed {slip}{number} ({state}): {path}",
    "Đã in phiếu kiểm soát quá trình giải quyết hồ sơ: {path}": (
        "Printed the file's processing control sheet: {path}"
    ),
    "Đã in sổ theo dõi hồ sơ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}: {path}": (
        "Printed the file register from {start:%d/%m/%Y} to {end:%d/%m/%Y}: {path}"
    ),
    "<biểu mẫu>": "<form>",
    "phiếu kiểm soát quá trình giải quyết hồ sơ": "the file's processing control sheet",
    "sổ theo dõi hồ sơ cho một khoảng ngày": "the file register for a range of days",
    "in biểu mẫu ra tệp PDF": "print forms as PDF files",
    "số phiếu, ví dụ 12/HDHS (mặc định: phiếu mới nhất)": (
        "slip number, e.g. 12/HDHS (default: the latest slip)"
    ),
    ", số liệu tính đến {as_of:%H:%M %d/%m/%Y}": ", figures as of {as_of:%H:%M %d/%m/%Y}",
    (
        "Đã lập báo cáo từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}{as_of} ({format}): nhận "
        "{received}, đã giải quyết {settled}, đang giải quyết {open} hồ sơ: {path}"
    ): (
        "Report from {start:%d/%m/%Y} to {end:%d/%m/%Y}{as_of} ({format}): received {received}, "
        "settled {settled}, in progress {open} files: {path}"
    ),
    "Đã lập sổ theo dõi hồ sơ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} ({format}): {path}": (
        "File register from {start:%d/%m/%Y} to {end:%d/%m/%Y} ({format}): {path}"
    ),
    "báo cáo tình hình, kết quả giải quyết TTHC (Biểu 06) cho một kỳ": (
        "report on handling administrative procedures (Form 06) for a period"
    ),
    "tệp ghi ra (“-”: in JSON ra màn hình)": "output file (“-”: print the JSON to the screen)",
    "sổ theo dõi hồ sơ cho một khoảng ngày (PDF hoặc XLSX)": (
        "the file register for a range of days (PDF or XLSX)"
    ),
    (
        "chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766) cho một kỳ: phần tính được "
        "tại bộ phận một cửa"
    ): (
        "the service index for citizens and businesses (Decision 766) for a period: the part "
        "the desk can compute"
    ),
    (
        "Đã lập chỉ số 766 từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}{as_of} ({format}): "
        "{points} trên {max_points} điểm của các nhóm tính được tại bộ phận một cửa: {path}"
    ): (
        "Decision 766 index from {start:%d/%m/%Y} to {end:%d/%m/%Y}{as_of} ({format}): "
        "{points} of {max_points} points of the groups the desk can compute: {path}"
    ),
    "tệp ghi ra": "output file",
    "Chỉ báo cáo dạng JSON mới in ra màn hình được; cần --out TỆP.": (
        "Only a JSON report can be printed to the screen; give --out FILE."
    ),
    (
        "Lệnh này thay đổi dữ liệu nên cần đăng nhập: thêm --user TÊN và mật khẩu trong biến môi "
        "trường {variable} hoặc --password-file TỆP."
    ): (
        "This command changes data, so it needs a sign-in: add --user NAME and the password in "
        "the {variable} environment variable or --password-file FILE."
    ),
    "Cần mật khẩu của “{user}”: đặt biến môi trường {variable} hoặc dùng --password-file TỆP.": (
        "The password of “{user}” is needed: set the {variable} environment variable or use "
        "--password-file FILE."
    ),
    "TÊN": "NAME",
    (
        "tên đăng nhập của người thực hiện (hoặc biến môi trường {variable}; mặc định: hỏi khi "
        "chạy trên màn hình dòng lệnh)"
    ): (
        "user name of whoever runs the command (or the {variable} environment variable; default: "
        "asked on a terminal)"
    ),
    "TỆP": "FILE",
    "tệp chứa mật khẩu ở dòng đầu (hoặc biến môi trường {variable})": (
        "file holding the password on its first line (or the {variable} environment variable)"
    ),
    "Mật khẩu của {user}: ": "Password of {user}: ",
    "Tài khoản của bạn không có quyền {what}.": "Your account may not {what}.",
    "Tên đăng nhập: ": "User name: ",
    "không đọc được": "unreadable",
    "Không đọc được tệp mật khẩu {path}: {reason}.": (
        "Cannot read the password file {path}: {reason}."
    ),
    " Không kết nối được với Sở.": " Cannot reach the department.",
    "gửi số liệu tổng hợp theo ngày lên Sở một lượt (không có dữ liệu cá nhân)": (
        "send the daily summary figures to the department once (no personal data)"
    ),
    "địa chỉ của Sở (thay cho địa chỉ trong Cài đặt)": (
        "the department's address (instead of the one in Settings)"
    ),
    "mã truy cập do Sở cấp (thay cho mã đã lưu)": (
        "access token issued by the department (instead of the stored one)"
    ),
    "số giây chờ Sở trả lời (mặc định {seconds:g})": (
        "seconds to wait for the department's answer (default {seconds:g})"
    ),
    "Số giây chờ phải lớn hơn 0.": "The seconds to wait must be greater than 0.",
    "đồng bộ với Sở": "synchronise with the department",
    "Cơ quan {name}:": "Agency {name}:",
    "Chưa cơ quan nào có địa chỉ của Sở.": "No agency has the department's address yet.",
    "Số liệu mới hoặc thay đổi: {count} ngày.": "New or changed figures: {count} days.",
    "Đã gửi ngày {day} bản {revision}: biên nhận {receipt}": (
        "Sent day {day} revision {revision}: receipt {receipt}"
    ),
    "Đã gửi {sent}, lỗi {failed}, còn chờ gửi {unsent}.": (
        "Sent {sent}, failed {failed}, still to send {unsent}."
    ),
    "Bị từ chối ngày {day} bản {revision}: {error}": (
        "Refused: day {day} revision {revision}: {error}"
    ),
    "Chưa gửi được ngày {day} bản {revision}: {error}": (
        "Not sent yet: day {day} revision {revision}: {error}"
    ),
    "chuyển sổ của một bàn vào cơ sở dữ liệu của Trung tâm": (
        "move a desk's register into the centre's database"
    ),
    "tệp SQLite của bàn": "the desk's SQLite file",
    "  {table}: {rows} dòng": "  {table}: {rows} rows",
    # db copy: a solo desk into a centre as one agency
    (
        "chép sổ của một bàn (tệp SQLite) vào cơ sở dữ liệu của Trung tâm thành một cơ "
        "quan, rồi kiểm tra từng dòng; chạy lại chỉ kiểm tra"
    ): (
        "copy a desk's register (its SQLite file) into the centre's database as one agency, "
        "then check it row by row; run again, it only checks"
    ),
    (
        "cơ sở dữ liệu của Trung tâm: địa chỉ PostgreSQL (postgresql+psycopg://…) hoặc tệp SQLite"
    ): "the centre's database: a PostgreSQL URL (postgresql+psycopg://…) or an SQLite file",
    (
        "cơ quan cùng mã ở đích đã có hồ sơ: xóa hồ sơ của cơ quan đó rồi chép (không bao "
        "giờ gộp hai sổ)"
    ): (
        "when the target's agency with the same identifier has files: remove that agency's "
        "files, then copy (two registers are never merged)"
    ),
    (
        "{target} đã có đúng sổ của {source} (cơ quan “{agency}”, số {number}, mã "
        "{code}): {rows} dòng khớp từng dòng, {slips} phiếu lưu trữ khớp SHA-256. "
        "Không chép lại."
    ): (
        "{target} already holds the register of {source} (agency “{agency}”, number {number}, "
        "identifier {code}): {rows} rows match one by one, {slips} archived slips match their "
        "SHA-256. Nothing copied again."
    ),
    "Đã xóa {files} hồ sơ cũ của cơ quan “{agency}” ở đích trước khi chép.": (
        "Removed the {files} earlier files of agency “{agency}” from the target before copying."
    ),
    (
        "Đã chép {files} hồ sơ ({rows} dòng) từ {source} vào cơ quan “{agency}” (số "
        "{number}, mã {code}) ở {target}; kiểm tra: số dòng và SHA-256 của từng bảng khớp, "
        "{slips} phiếu lưu trữ khớp SHA-256."
    ): (
        "Copied {files} files ({rows} rows) from {source} into agency “{agency}” (number "
        "{number}, identifier {code}) in {target}; checked: every table's row count and SHA-256 "
        "match, {slips} archived slips match their SHA-256."
    ),
    "Cơ quan này là cơ quan mới ở đích.": "The agency is new in the target.",
    "Tài khoản đã có ở đích, dùng lại (mật khẩu của đích): {names}.": (
        "Accounts the target already had, used as they are (the target's passwords): {names}."
    ),
    "Những ngày đích ghi khác (ngày làm việc / ngày nghỉ), giữ như đích: {days}.": (
        "Days the target marks otherwise (working day / day off), kept as the target has them: "
        "{days}."
    ),
    # The centre's agencies and their users (agency_commands.py).
    "(đã khóa)": "(closed)",
    "(đã đóng)": "(closed)",
    "Cơ sở dữ liệu có {count} cơ quan ({agencies}): thêm --agency N để chọn cơ quan.": (
        "The database has {count} agencies ({agencies}): add --agency N to choose one."
    ),
    "Không có cơ quan số {agency} (xem lệnh 'agencies list').": (
        "There is no agency number {agency} (see the 'agencies list' command)."
    ),
    "chưa phân công": "not assigned",
    "các cơ quan trong cơ sở dữ liệu": "the agencies in the database",
    "liệt kê các cơ quan": "list the agencies",
    "liệt kê người dùng và cơ quan được phân công": (
        "list the users and the agencies assigned to them"
    ),
    "mở lại cơ quan đã đóng": "reopen a closed agency",
    "người dùng": "users",
    "phân công cơ quan cho người dùng": "assign agencies to users",
    "phân công người dùng làm việc cho các cơ quan (thay phân công cũ)": (
        "assign a user to work for agencies (replaces the earlier assignment)"
    ),
    "số của cơ quan": "the agency's number",
    "số của cơ quan (xem lệnh 'agencies list'); cần khi cơ sở dữ liệu có nhiều cơ quan": (
        "the agency's number (see the 'agencies list' command); needed when the database has "
        "several agencies"
    ),
    "sửa thông tin cơ quan": "edit an agency",
    "sửa thông tin của một cơ quan": "edit an agency's details",
    "thêm cơ quan": "add an agency",
    "thêm một cơ quan vào cơ sở dữ liệu của Trung tâm": "add an agency to the centre's database",
    "tên viết tắt hiện ở thanh trạng thái, ví dụ Sở Tư pháp": (
        "short name shown in the status bar, e.g. Sở Tư pháp"
    ),
    "tên đăng nhập": "user name",
    "{state}, {files} hồ sơ, {users} người dùng": "{state}, {files} files, {users} users",
    "Đã lưu cơ quan số {agency}:": "Saved agency number {agency}:",
    "Đã phân công “{user}” cho cơ quan: {agencies}.": "Assigned “{user}” to agencies: {agencies}.",
    "Đã thêm cơ quan số {agency}:": "Added agency number {agency}:",
    "đang hoạt động": "open",
    "điện thoại của bộ phận": "the unit's phone number",
    "đã đóng": "closed",
    "đóng cơ quan: không nhận hồ sơ mới, không ai làm việc cho cơ quan": (
        "close the agency: no new files, nobody works for it"
    ),
    "chỉ các hồ sơ của cơ quan số N (mặc định: mọi cơ quan của cơ sở dữ liệu)": (
        "only the files of agency N (default: every agency of the database)"
    ),
    # files attach / files show (digitising at intake)
    "đính kèm bản quét (PDF, JPEG, PNG, TIFF) vào một giấy tờ của hồ sơ": (
        "attach scans (PDF, JPEG, PNG, TIFF) to a document of a file"
    ),
    "các tệp bản quét": "the scan files",
    "số thứ tự giấy tờ trong hồ sơ, đếm từ 0 (mặc định 0)": (
        "the document's line in the file, counted from 0 (default 0)"
    ),
    "bản quét của kết quả giải quyết, khi trả về": "scans of the result, when it comes back",
    "đính kèm bản quét": "attach scans",
    "Số hóa:": "Digitising:",
    "Kết quả": "Result",
    "{pages} trang, {bytes} byte": "{pages} pages, {bytes} bytes",
    "Đã đính kèm vào “{name}”: {pages} trang, {bytes} byte.": (
        "Attached to “{name}”: {pages} pages, {bytes} bytes."
    ),
    # The hall's queue: service groups (ticket_commands.py).
    "số thứ tự: các nhóm dịch vụ của hàng đợi": "queue tickets: the queue's service groups",
    "các nhóm dịch vụ (mỗi nhóm một ký hiệu, ví dụ A)": (
        "the service groups (each with its letter, e.g. A)"
    ),
    "liệt kê các nhóm, cả nhóm đã ngừng": "list the groups, retired ones too",
    "chỉ các nhóm của cơ quan số N (mặc định: mọi cơ quan)": (
        "only the groups of agency N (default: every agency)"
    ),
    "thêm một nhóm dịch vụ": "add a service group",
    "KÝ_HIỆU": "LETTER",
    "1 đến 4 chữ cái không dấu, ví dụ B": "1 to 4 unaccented letters, e.g. B",
    "tên nhóm, ví dụ “Hộ tịch, chứng thực”": "the group's name, e.g. “Hộ tịch, chứng thực”",
    "đổi tên một nhóm (ký hiệu giữ nguyên)": "rename a group (its letter stays)",
    "ký hiệu của nhóm": "the group's letter",
    "tên mới của nhóm": "the group's new name",
    "ngừng một nhóm: không cấp số mới, các số đã cấp vẫn được giữ": (
        "retire a group: no new tickets; the tickets issued are kept"
    ),
    "mở lại một nhóm đã ngừng": "reopen a retired group",
    "Chưa có nhóm dịch vụ nào.": "No service group yet.",
    "đang cấp số": "issuing",
    "đã ngừng": "retired",
    "{state}, {issued} số đã cấp": "{state}, {issued} tickets issued",
    ", lần cuối ngày {day}": ", the last on {day}",
    "quản lý nhóm dịch vụ": "manage service groups",
    "Đã thêm nhóm {group}.": "Added group {group}.",
    "Đã đổi tên nhóm thành {group}.": "Renamed the group to {group}.",
    "Đã ngừng nhóm {group}: không cấp số mới; các số đã cấp vẫn được giữ.": (
        "Retired group {group}: no new tickets; the tickets issued are kept."
    ),
    "Đã mở lại nhóm {group}.": "Reopened group {group}.",
    # lan_commands.py
    (
        "phục vụ các trang của quầy trên mạng nội bộ (lấy số, màn hình hàng chờ) cho máy "
        "không mở cửa sổ chương trình (Ctrl+C để dừng)"
    ): (
        "serve the counter's pages on the office network (take a number, the queue's display) "
        "from a PC without the program's window (Ctrl+C to stop)"
    ),
    "ĐỊA_CHỈ:CỔNG": "ADDRESS:PORT",
    (
        "địa chỉ và cổng lắng nghe (mặc định {listen}: mọi địa chỉ của máy; "
        "127.0.0.1:8765 chỉ máy này)"
    ): (
        "address and port to listen on (default {listen}: every address of the machine; "
        "127.0.0.1:8765 this machine only)"
    ),
    "“{listen}” không phải địa chỉ lắng nghe: ghi ĐỊA_CHỈ_IP:CỔNG, ví dụ {example}.": (
        "“{listen}” is not an address to listen on: write IP_ADDRESS:PORT, e.g. {example}."
    ),
    "Các trang của quầy tại {url} (Ctrl+C để dừng). Cơ sở dữ liệu: {database}": (
        "The counter's pages at {url} (Ctrl+C to stop). Database: {database}"
    ),
    # mail (desk_app/cli/mail_commands.py)
    "thư điện tử gửi người nộp hồ sơ": "e-mail to applicants",
    "gửi một lượt các thư đang chờ gửi": "send the messages waiting to go, once",
    "số giây chờ máy chủ thư trả lời (mặc định {seconds:g})": (
        "seconds to wait for the mail server's answer (default {seconds:g})"
    ),
    "số thư chờ gửi, đã gửi, lỗi và các thư chưa gửi được": (
        "the messages waiting, sent and failed, and those not sent yet"
    ),
    "đưa các thư không gửi được vào hàng chờ lại": "queue the messages that failed again",
    "người nộp hồ sơ rút lại sự đồng ý nhận thư của một hồ sơ": (
        "the applicant withdraws the consent to e-mail for one file"
    ),
    "gửi thư cho người nộp hồ sơ": "send e-mail to applicants",
    "Chưa bật gửi thư điện tử (Cài đặt › Thư).": "E-mail is not on (Settings › E-mail).",
    "Đã gửi: {code} ({kind})": "Sent: {code} ({kind})",
    "Không gửi được: {code} ({kind}): {error}": "Not sent: {code} ({kind}): {error}",
    "Sẽ thử lại: {code} ({kind}): {error}": "Will try again: {code} ({kind}): {error}",
    "Đã gửi {sent}, lỗi {failed}, còn chờ gửi {queued}.": (
        "Sent {sent}, failed {failed}, still waiting {queued}."
    ),
    "Chờ gửi {queued}, đang gửi {sending}, đã gửi {sent}, không gửi được {failed}.": (
        "Waiting {queued}, sending {sending}, sent {sent}, not sent {failed}."
    ),
    "Đã đưa {count} thư vào hàng chờ gửi lại.": "{count} messages queued again.",
    "ghi nhận việc rút lại đồng ý": "record a withdrawn consent",
    "Đã ghi nhận; {count} thư đang chờ sẽ không gửi.": (
        "Recorded; {count} waiting messages will not be sent."
    ),
}
