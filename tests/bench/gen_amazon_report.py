#!/usr/bin/env python3
"""Generates a synthetic Amazon all-orders flat file (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL
columns, UTF-8, CRLF) of about the requested size, for ingest benchmarks.

    gen_amazon_report.py SIZE OUT      SIZE like 10M, 100M, 1G

Orders have 1 row (60 %), 2 rows (30 %) or 3 rows (10 %); later rows of an order come 1-17 rows
after its first one, so rows of one order are not adjacent. Prices divide exactly by quantity.
Deterministic: the same size gives the same bytes.
"""
import heapq
import sys

HEADER = ("amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\t"
          "fulfillment-channel\tsales-channel\torder-channel\turl\tship-service-level\tproduct-name\t"
          "sku\tasin\tnumber-of-items\titem-status\tquantity\tcurrency\titem-price\titem-tax\t"
          "shipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\t"
          "ship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\t"
          "promotion-ids\tis-business-order\tpurchase-order-number\tprice-designation\tcpf")
PRODUCTS = ['Trendy Home 12" x 18" Pillow Cover', "Stainless Steel Water Bottle 750 ml",
            "USB-C Charging Cable 2 m, braided", "Organic Cotton Sheet Set Queen",
            "LED Desk Lamp with Wireless Charger", "Ceramic Coffee Mug Set of 4"]
STATUSES = [("Shipped", "Shipped"), ("Shipped", "Shipped"), ("Unshipped", "Unshipped"),
            ("Pending", "Unshipped"), ("Cancelled", "Cancelled")]
CITIES = [("Austin", "TX", "78701"), ("Seattle", "WA", "98109"), ("Denver", "CO", "80202"),
          ("Boston", "MA", "02108")]


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.upper().rstrip("B")
    if text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def row(order, item, status, item_status):
    oid = "%03d-%07d-%07d" % (100 + order % 900, order // 1000, order % 10000000)
    day = 1 + order % 28
    qty = 1 + (order + item) % 4
    unit = 999 + (order * 7 + item * 13) % 9000
    product = PRODUCTS[(order + item) % len(PRODUCTS)]
    city, state, postal = CITIES[order % len(CITIES)]
    if status == "Pending":
        money = "\t" * 8
        currency = ""
    else:
        price = unit * qty
        tax = price * 8 // 100
        money = "%d.%02d\t%d.%02d\t4.99\t0.40\t\t\t-%d.%02d\t\t" % (
            price // 100, price % 100, tax // 100, tax % 100, (price // 20) // 100,
            (price // 20) % 100)
        currency = "USD"
    return ("%s\t%s\t2026-02-%02dT10:%02d:00+00:00\t2026-02-%02dT12:%02d:30+00:00\t%s\tAmazon\t"
            "Amazon.com\t\t\tStandard\t%s\tSKU-%05d\tB0%08d\t1\t%s\t%d\t%s\t%s%s\t%s\t%s\tUS\t\t"
            "false\t\t\t\r\n") % (oid, oid, day, order % 60, day, (order + item) % 60, status,
                                  product, (order * 3 + item) % 50000, (order + item) % 10**8,
                                  item_status, qty, currency, money, city, state, postal)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    target = parse_size(sys.argv[1])
    written = 0
    rows = 0
    pending = []  # (due row, seq, text)
    seq = 0
    order = 0
    with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        chunk = []
        while written < target or pending:
            if written < target:
                status, item_status = STATUSES[order % len(STATUSES)]
                n = 1 if order % 10 < 6 else (2 if order % 10 < 9 else 3)
                chunk.append(row(order, 0, status, item_status))
                for item in range(1, n):
                    seq += 1
                    heapq.heappush(pending, (rows + item + order % 17, seq,
                                             row(order, item, status, item_status)))
                written += len(chunk[-1])
                rows += 1
                order += 1
            while pending and (pending[0][0] <= rows or written >= target):
                text = heapq.heappop(pending)[2]
                chunk.append(text)
                written += len(text)
                rows += 1
            if len(chunk) >= 4096:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
    print("%s: %d rows, %d orders, %d bytes" % (sys.argv[2], rows, order, written))


if __name__ == "__main__":
    main()
