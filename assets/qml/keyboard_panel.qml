// The on-screen keyboard (Qt Virtual Keyboard, pinyin for Chinese), embedded in a kiosk screen.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

InputPanel {
    id: panel
    property string kioskLocale: "zh_CN"
    active: true
    onKioskLocaleChanged: VirtualKeyboardSettings.locale = kioskLocale
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = kioskLocale
    }
}
