[producer]
flap-interval = nan
[format]
formats = BGRx
