import { defineMessages } from './schema.js';

/** The kiosk's own notices (KioskStatus.vue): on boards and terminals alike. */
export const messages = defineMessages({
  en: {
    kiosk: {
      insecure: 'Plain http: this screen cannot reload while the hub is unreachable. Ask IT to open it over https (docs: “HTTPS on the shop’s network”).',
      storage: {
        label: 'Taps kept on this device:',
        persisted: 'storage protected',
        'best-effort': 'storage may be cleared when the device runs short of space',
        unsupported: 'storage protection not available',
      },
    },
  },
  'zh-CN': {
    kiosk: {
      insecure: '当前为 http 明文连接：主机无法访问时，此屏幕无法重新加载。请联系 IT 改用 https 打开（文档：“HTTPS on the shop’s network”）。',
      storage: {
        label: '本机保存的操作：',
        persisted: '存储受保护',
        'best-effort': '设备空间不足时存储可能被清除',
        unsupported: '不支持存储保护',
      },
    },
  },
});
