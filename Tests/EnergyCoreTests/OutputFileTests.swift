import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

/// Output files are written beside their target and renamed over regular files only.
@Suite struct OutputFileTests {
    @Test func aRegularFileIsReplacedWholeAndNothingIsLeftBeside() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/out.csv"
        try OutputFile.write(Data("old\n".utf8), to: path)
        let file = try OutputFile(path: path)
        try file.write(Data("new ".utf8))
        // Until committed, readers see the old file.
        #expect(FileManager.default.contents(atPath: path) == Data("old\n".utf8))
        try file.write(Data("content\n".utf8))
        try file.commit()
        #expect(FileManager.default.contents(atPath: path) == Data("new content\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.csv"])
        // Abandoned (a failed command): the old file stays, the temporary one goes.
        let abandoned = try OutputFile(path: path)
        try abandoned.write(Data("half".utf8))
        abandoned.abort()
        #expect(FileManager.default.contents(atPath: path) == Data("new content\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.csv"])
    }

    @Test func linksDevicesAndFoldersAreRefusedAndLeftAsTheyWere() throws {
        let folder = TemporaryFolder()
        let target = folder.path + "/target.csv"
        try Data("keep\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link.csv", withDestinationPath: target)
        try FileManager.default.createDirectory(atPath: folder.path + "/dir", withIntermediateDirectories: false)
        for (path, what) in [(folder.path + "/link.csv", "a symbolic link"), (folder.path + "/dir", "a folder"), ("/dev/null", "a device")]
        {
            #expect(throws: OutputFileError.notARegularFile(path, what)) { try OutputFile.write(Data("x".utf8), to: path) }
        }
        #expect(FileManager.default.contents(atPath: target) == Data("keep\n".utf8))
        var info = stat()
        #expect(lstat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "/dev/null is still a device")
        #expect(throws: OutputFileError.self) { try OutputFile.write(Data("x".utf8), to: folder.path + "/missing/out.csv") }
        do { try OutputFile.write(Data("x".utf8), to: folder.path + "/missing/out.csv") } catch {
            #expect("\(error)".contains("the folder \(folder.path)/missing does not exist"))
        }
    }
}
